package io.jobway.handler;

/** Thrown by a handler that stopped because its job's cancel was requested. */
public final class JobCancelledException extends RuntimeException {
    public JobCancelledException(String jobId) {
        super("job " + jobId + " was cancelled while running");
    }
}
