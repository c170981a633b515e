package io.jobway.sweeper;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobway.aws.Config;
import io.jobway.fixtures.PrimingProbe;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sweeper primes itself for SnapStart with no AWS endpoint reachable. */
class SnapStartPrimingTest {
    @Test
    void the_sweeper_queries_both_due_indexes_without_a_connection() {
        try (PrimingProbe probe = new PrimingProbe()) {
            Config config = probe.config(Map.of(Config.JOBS_TABLE, "jobs", Config.IDEMPOTENCY_TABLE, "idempotency",
                    Config.SCHEDULES_TABLE, "schedules", Config.DEAD_LETTERS_TABLE, "dead-letters",
                    Config.JOBS_QUEUE_URL, probe.endpointUrl() + "/000000000000/jobs",
                    Config.JOBS_HIGH_QUEUE_URL, probe.endpointUrl() + "/000000000000/jobs-high",
                    Config.JOBS_LOW_QUEUE_URL, probe.endpointUrl() + "/000000000000/jobs-low",
                    Config.DEAD_LETTER_QUEUE_URL, probe.endpointUrl() + "/000000000000/dead"));

            new SweeperFunction(config, probe.clients(config)).priming.beforeCheckpoint(null);

            assertThat(probe.operations()).as("the schedules' due index, then the jobs'")
                    .containsExactly("Query", "Query");
            assertThat(probe.connections()).isZero();
        }
    }
}
