package io.jobway.notifier;

import io.jobway.job.Job;
import io.jobway.events.StreamRecord;
import io.jobway.notify.JobEvent;
import io.jobway.notify.WebhookMessage;
import io.jobway.obs.JobMetrics;
import io.jobway.store.JobItemMapper;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * What the notifier does with one stream record (its function for the batch processor): a job's new status or
 * progress is published to its subscribers, and a job that just finished with a callbackUrl gets its webhook queued.
 */
final class JobChanges {
    private final ChangeDetector detector;
    private final WebhookOutbox webhooks;
    private final JobMetrics metrics;
    private final Clock clock;

    JobChanges(ChangeDetector detector, WebhookOutbox webhooks, JobMetrics metrics, Clock clock) {
        this.detector = detector;
        this.webhooks = webhooks;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Always true when it returns: a record that cannot be read or published throws. */
    boolean notify(StreamRecord record, Notifications notifications) {
        detector.detect(record).ifPresent(change -> {
            Job job = JobItemMapper.fromItem(record.newImage());
            notifications.publish(change.tenantId(), change.jobId(), job.tags(), JobEvent.toJson(job));
            if (job.status().isTerminal() && !job.status().wireName().equals(change.previousStatus())
                    && job.callbackUrl() != null) {
                webhooks.enqueue(new WebhookMessage(JobEvent.webhookId(job), job.jobId(), job.tenantId(),
                        job.callbackUrl(), JobEvent.webhookBody(job)));
            }
            // the change's age once its subscribers have it: the stream's delay plus this function's own
            metrics.emit(job.type(), Map.of(JobMetrics.NOTIFIER_LAG,
                    (double) Math.max(0, Duration.between(job.updatedAt(), clock.instant()).toMillis())));
        });
        return true;
    }
}
