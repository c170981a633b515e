package io.jobway.obs;

import io.jobway.job.Job;
import io.jobway.job.JobStatus;
import io.jobway.store.ClaimResult;
import io.jobway.store.ForwardingJobStore;
import io.jobway.store.IdempotencyRecord;
import io.jobway.store.JobStore;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A job store that reports each change of state it wrote as metrics: every transition of every job passes through
 * a conditional write here, whichever function makes it (a submit, a claim, an attempt's outcome, a cancel), and
 * only a write that was applied counts, so a lost race or a refused claim counts nothing.
 */
public final class MeasuredJobStore extends ForwardingJobStore {
    private final JobMetrics metrics;

    public MeasuredJobStore(JobStore store, JobMetrics metrics) {
        super(store);
        this.metrics = metrics;
    }

    @Override
    public void create(Job job) {
        super.create(job);
        metrics.count(job.type(), JobMetrics.SUBMITTED);
    }

    @Override
    public List<Job> createAll(List<Job> jobs) {
        List<Job> notWritten = super.createAll(jobs);
        jobs.stream().filter(j -> !notWritten.contains(j)).forEach(j -> metrics.count(j.type(), JobMetrics.SUBMITTED));
        return notWritten;
    }

    @Override
    public Optional<IdempotencyRecord> createIdempotent(Job job, IdempotencyRecord record, Instant now) {
        Optional<IdempotencyRecord> holder = super.createIdempotent(job, record, now);
        if (holder.isEmpty()) {
            metrics.count(job.type(), JobMetrics.SUBMITTED);
        }
        return holder;
    }

    @Override
    public ClaimResult claim(String jobId, String leaseToken, Instant now, Duration leaseFor) {
        ClaimResult result = super.claim(jobId, leaseToken, now, leaseFor);
        if (result instanceof ClaimResult.Claimed claimed) {
            Job job = claimed.job();
            metrics.emit(job.type(), Map.of(JobMetrics.STARTED, 1.0,
                    JobMetrics.QUEUE_WAIT, millis(readyAt(job), job.startedAt())));
        }
        return result;
    }

    @Override
    public Job save(Job before, Job after) {
        Job saved = super.save(before, after);
        if (before.status() != saved.status()) {
            Map<String, Double> values = transition(before, saved);
            metrics.emit(saved.type(), values);
        }
        return saved;
    }

    /** What a change of state from {@code before} to {@code after} counts, and the times it ends. */
    static Map<String, Double> transition(Job before, Job after) {
        Map<String, Double> values = new LinkedHashMap<>();
        boolean attemptEnded = before.status() == JobStatus.RUNNING && before.startedAt() != null;
        switch (after.status()) {
            case SUCCEEDED -> values.put(JobMetrics.SUCCEEDED, 1.0);
            case DEAD -> values.put(JobMetrics.DEAD, 1.0);
            case CANCELLED -> values.put(JobMetrics.CANCELLED, 1.0);
            case RETRYING -> values.put(JobMetrics.RETRIED, 1.0);
            case QUEUED, SCHEDULED -> {
                if (attemptEnded && after.deferredUntil() != null) {
                    values.put(JobMetrics.DEFERRED, 1.0);
                }
            }
            default -> {
                // RUNNING is the claim's, counted there
            }
        }
        if (values.isEmpty()) {
            return values; // a sweeper's enqueue or an operator's requeue: no event of the metrics above
        }
        if (attemptEnded && !values.containsKey(JobMetrics.DEFERRED)) {
            values.put(JobMetrics.RUN_TIME, millis(before.startedAt(), after.updatedAt()));
        }
        if (after.status().isTerminal()) {
            values.put(JobMetrics.END_TO_END, millis(after.createdAt(), after.updatedAt()));
        }
        return values;
    }

    /** When the attempt could have started: its run time (a delay, a retry, a deferral) or else its submit. */
    private static Instant readyAt(Job job) {
        return job.runAt() != null && job.runAt().isAfter(job.createdAt()) ? job.runAt() : job.createdAt();
    }

    private static double millis(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toMillis());
    }
}
