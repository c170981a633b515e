package io.jobway.handler;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.aws.Config;

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

    /**
     * Called once when the worker starts, before any job, with the worker's environment variables (Lambda's, or
     * what the local runtime gives the function): where a handler finds its settings, e.g. an SMTP host.
     */
    default void configure(Config environment) {
    }
}
