package io.jobway.job;

import java.time.Instant;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The last failure of a job: what went wrong, the kind of failure, when, and the stack trace of the exception
 * behind it (null for a failure the worker decided without one: a timeout, a lost worker, a missing record).
 */
public record JobError(String message, String type, Instant at, String stack) {
    private static final int MAX_MESSAGE = 2_000;
    /**
     * A stack is cut to 2,000 characters: the error lives in the job's item, and DynamoDB bills every write of
     * it by the kilobyte, so a long trace must not make each later write of the job cost many units.
     */
    static final int MAX_STACK = 2_000;
    /** The frames kept of each exception in the chain, so that a deep one (a framework's) leaves room for its causes. */
    static final int FRAMES_EACH = 8;
    /** The type of the worker's DLQ copy of a message whose record never appeared (no job had this error). */
    public static final String RECORD_MISSING = "RecordMissing";
    /** The type of an attempt the worker interrupted at the job's timeout. */
    public static final String TIMEOUT = "JobTimeout";
    /** The type of an attempt whose worker stopped before it finished (its lease expired). */
    public static final String WORKER_LOST = "WorkerLost";

    public JobError {
        message = cut(message == null ? "" : message, MAX_MESSAGE);
        stack = stack == null || stack.isEmpty() ? null : cut(stack, MAX_STACK);
    }

    /** A failure without an exception behind it, so without a stack. */
    public JobError(String message, String type, Instant at) {
        this(message, type, at, null);
    }

    public static JobError of(Throwable failure, Instant at) {
        String message = failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
        return new JobError(message, failure.getClass().getSimpleName(), at, stackOf(failure));
    }

    /**
     * The trace in the JVM's format, abridged: each exception of the chain ("Caused by"), with its message and
     * its first {@link #FRAMES_EACH} frames (the innermost, where it was thrown) and how many more there were.
     */
    private static String stackOf(Throwable failure) {
        StringBuilder trace = new StringBuilder();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>()); // a cause chain may loop
        for (Throwable t = failure; t != null && seen.add(t) && trace.length() < MAX_STACK; t = t.getCause()) {
            trace.append(t == failure ? "" : "Caused by: ").append(t).append('\n');
            StackTraceElement[] frames = t.getStackTrace();
            for (int i = 0; i < Math.min(frames.length, FRAMES_EACH); i++) {
                trace.append("\tat ").append(frames[i]).append('\n');
            }
            if (frames.length > FRAMES_EACH) {
                trace.append("\t... ").append(frames.length - FRAMES_EACH).append(" more\n");
            }
        }
        return trace.toString();
    }

    private static String cut(String text, int max) {
        return text.length() > max ? text.substring(0, max) : text;
    }
}
