package io.jobway.notifier;

import java.util.List;

/** Where a job's change goes: the tenant's subscribed browsers (to the job, to one of its tags, or to all). */
interface Notifications {
    void publish(String tenantId, String jobId, List<String> tags, String eventJson);

    /**
     * The publisher for one stream batch, which may look each subscription up once for the whole batch rather
     * than once per record. A browser that subscribes while a batch is being sent gets events from the next one.
     */
    default Notifications forBatch() {
        return this;
    }
}
