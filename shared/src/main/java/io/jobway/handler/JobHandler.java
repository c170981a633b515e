package io.jobway.handler;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The code that does one type of job. Implementations are plain classes with a no-arg constructor, listed in
 * {@code META-INF/services/io.jobway.handler.JobHandler} of the worker's package. Throw to fail the attempt;
 * the worker retries with backoff while attempts remain. The thread is interrupted at the job's deadline.
 */
public interface JobHandler {
    /** The job type this handler runs, e.g. {@code send-email}. */
    String type();

    /** Does the work and returns the result (JSON; null for none). */
    JsonNode handle(JobContext context) throws Exception;
}
