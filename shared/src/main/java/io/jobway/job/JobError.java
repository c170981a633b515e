package io.jobway.job;

import java.time.Instant;

/** The last failure of a job: what went wrong, the kind of failure, and when. */
public record JobError(String message, String type, Instant at) {
    private static final int MAX_MESSAGE = 2_000;
    /** The type of the worker's DLQ copy of a message whose record never appeared (no job had this error). */
    public static final String RECORD_MISSING = "RecordMissing";

    public JobError {
        message = message == null ? "" : message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message;
    }

    public static JobError of(Throwable failure, Instant at) {
        String message = failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
        return new JobError(message, failure.getClass().getSimpleName(), at);
    }
}
