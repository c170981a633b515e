package io.jobway.handler;

import java.time.Duration;

/**
 * Thrown by a handler that was told when to come back (an HTTP 429 or 503 with Retry-After): the attempt
 * fails as usual, and the next one waits at least {@code after}.
 */
public class RetryLaterException extends RuntimeException {
    private final Duration after;

    public RetryLaterException(String message, Duration after) {
        super(message);
        this.after = after;
    }

    public Duration after() {
        return after;
    }
}
