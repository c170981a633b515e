package io.jobway.handler;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.job.JobSpec;
import io.jobway.json.Json;
import java.time.Instant;

/** What a running handler knows about its job, and how it talks back. */
public interface JobContext {
    String jobId();

    String tenantId();

    /** 1 for the first attempt. */
    int attempt();

    int maxAttempts();

    JsonNode payload();

    /** When the handler is interrupted. */
    Instant deadline();

    /**
     * When the job was due: its {@code runAt} (for a schedule's job, the fire time it was made for), so a handler
     * can ask "what was due by then" without reading a clock.
     */
    Instant runAt();

    /**
     * Reports how far the job is (0-100) with a short message. Cheap to call often: writes are coalesced to
     * at most one a second, and the last value always lands (at the latest with the job's outcome).
     */
    void progress(int percent, String message);

    /** Whether a cancel was requested since the job started; a handler that sees it should stop. */
    boolean cancelRequested();

    /** Throws {@link JobCancelledException} when a cancel was requested: the job then ends cancelled. */
    default void checkCancelled() {
        if (cancelRequested()) {
            throw new JobCancelledException(jobId());
        }
    }

    /**
     * Starts a follow-up job for this job's tenant (the receipt email after a payment) and returns its id. Safe
     * across retries: the n-th follow-up an attempt starts is keyed by this job's id and n, so a retried attempt
     * that starts its follow-ups in the same order gets the same jobs back, not new ones. A spec's own
     * idempotency key replaces that key. Fails permanently for a type this worker cannot run.
     */
    String submit(JobSpec followUp);

    /** {@link #submit(JobSpec)} with the default attempts and timeout. */
    default String submit(String type, JsonNode payload) {
        return submit(new JobSpec(type, payload == null ? null : Json.write(payload), JobSpec.DEFAULT_MAX_ATTEMPTS,
                JobSpec.DEFAULT_TIMEOUT_SECONDS, 0, null, null));
    }
}
