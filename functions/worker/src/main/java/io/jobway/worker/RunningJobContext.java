package io.jobway.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.handler.JobContext;
import io.jobway.job.Job;
import io.jobway.json.Json;
import io.jobway.store.JobStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** The context of one running attempt. A cancel check reads the record at most once per interval. */
final class RunningJobContext implements JobContext {
    private static final Duration CANCEL_CHECK_INTERVAL = Duration.ofSeconds(2);

    private final Job job;
    private final JsonNode payload;
    private final Instant deadline;
    private final JobStore store;
    private final Clock clock;
    private Instant lastCheck = Instant.MIN;
    private boolean cancelRequested;

    RunningJobContext(Job job, Instant deadline, JobStore store, Clock clock) {
        this.job = job;
        this.payload = job.payload() == null ? null : Json.parse(job.payload());
        this.deadline = deadline;
        this.store = store;
        this.clock = clock;
    }

    @Override
    public String jobId() {
        return job.jobId();
    }

    @Override
    public String tenantId() {
        return job.tenantId();
    }

    @Override
    public int attempt() {
        return job.attempt();
    }

    @Override
    public int maxAttempts() {
        return job.maxAttempts();
    }

    @Override
    public JsonNode payload() {
        return payload == null ? null : payload.deepCopy();
    }

    @Override
    public Instant deadline() {
        return deadline;
    }

    @Override
    public synchronized boolean cancelRequested() {
        Instant now = clock.instant();
        if (!cancelRequested && now.isAfter(lastCheck.plus(CANCEL_CHECK_INTERVAL))) {
            lastCheck = now;
            cancelRequested = store.find(job.jobId()).map(Job::cancelRequested).orElse(false);
        }
        return cancelRequested;
    }
}
