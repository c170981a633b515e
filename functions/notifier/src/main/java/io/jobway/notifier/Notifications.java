package io.jobway.notifier;

/** Where a job's change goes: the tenant's subscribed browsers. */
interface Notifications {
    void publish(String tenantId, String jobId, String eventJson);

    /**
     * The publisher for one stream batch, which may look each subscription up once for the whole batch rather
     * than once per record. A browser that subscribes while a batch is being sent gets events from the next one.
     */
    default Notifications forBatch() {
        return this;
    }
}
