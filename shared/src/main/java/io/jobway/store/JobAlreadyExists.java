package io.jobway.store;

/** A job id is already taken (or was tombstoned by a worker that gave up waiting for the record). */
public final class JobAlreadyExists extends RuntimeException {
    public JobAlreadyExists(String jobId, Throwable cause) {
        super("job " + jobId + " already exists", cause);
    }
}
