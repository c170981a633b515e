package io.jobway.handler;

import java.time.Duration;

/**
 * Thrown by a handler that was told when to come back. By default the job is deferred, not failed (a 429, a
 * provider's daily quota): it waits {@code after} (at least a second) as if the attempt never started. No attempt
 * is spent, no error is recorded, and its view shows {@code deferredUntil}. {@link #failedAttempt} is the other
 * kind: the attempt fails as usual and the next one waits at least {@code after}.
 */
public class RetryLaterException extends RuntimeException {
    private final Duration after;
    private final boolean spendsAttempt;

    /** Defers the job by {@code after}; no attempt is spent. */
    public RetryLaterException(String message, Duration after) {
        this(message, after, false);
    }

    private RetryLaterException(String message, Duration after, boolean spendsAttempt) {
        super(message);
        this.after = after;
        this.spendsAttempt = spendsAttempt;
    }

    /**
     * A failed attempt whose retry waits at least {@code after} (a server's 503 with Retry-After): the attempt
     * counts, so a target that never recovers still ends dead instead of being deferred forever.
     */
    public static RetryLaterException failedAttempt(String message, Duration after) {
        return new RetryLaterException(message, after, true);
    }

    public Duration after() {
        return after;
    }

    public boolean spendsAttempt() {
        return spendsAttempt;
    }
}
