package io.jobway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What {@code GET /v1/health} reports: the version and the state of each dependency. */
interface HealthCheck {
    boolean ok();

    ObjectNode report();
}
