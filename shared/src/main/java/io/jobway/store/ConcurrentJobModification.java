package io.jobway.store;

/** A conditional write lost a race: someone changed the job since it was read. Re-read and decide again. */
public final class ConcurrentJobModification extends RuntimeException {
    public ConcurrentJobModification(String jobId, long expectedVersion, Throwable cause) {
        super("job " + jobId + " changed since version " + expectedVersion + " was read; re-read it and retry",
                cause);
    }
}
