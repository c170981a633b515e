package io.jobway.notifier;

/** Where a job's change goes: the tenant's subscribed browsers. */
interface Notifications {
    void publish(String tenantId, String jobId, String eventJson);
}
