package io.jobway.handler;

import com.fasterxml.jackson.databind.JsonNode;
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
}
