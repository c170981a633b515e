package io.jobway.aws;

import java.time.Duration;

/**
 * The SDK's two API-call timeouts for one function, fitted to its Lambda timeout: a call to a hung endpoint
 * must end with room left for the function to answer (a 503, a deny, a message handed back), not be cut off by
 * Lambda. A request may make two calls in a row (the API's send and write), so each may take at most half of
 * the timeout less a second; an attempt gets at most half of a call, so the SDK can retry once inside it.
 *
 * @param attempt {@code apiCallAttemptTimeout}: one HTTP attempt, retries excluded
 * @param call    {@code apiCallTimeout}: the whole call, every retry and backoff included
 */
public record AwsCallTimeouts(Duration attempt, Duration call) {
    /** The SDK's own guidance for a short call (and what the worker, notifier and sweeper get). */
    static final Duration MAX_CALL = Duration.ofSeconds(10);
    static final Duration MAX_ATTEMPT = Duration.ofSeconds(3);
    /** Left to the function to answer once a call gave up. */
    static final Duration ROOM_TO_ANSWER = Duration.ofSeconds(1);
    private static final int CALLS_IN_A_ROW = 2;

    public AwsCallTimeouts {
        if (attempt.isNegative() || attempt.isZero() || attempt.compareTo(call) > 0) {
            throw new IllegalArgumentException("an attempt timeout must be positive and at most the call timeout ("
                    + call + "); got " + attempt);
        }
    }

    /** The timeouts for a function whose Lambda timeout is {@code lambdaTimeout} (template.yaml's Timeout). */
    public static AwsCallTimeouts forLambdaTimeout(Duration lambdaTimeout) {
        if (lambdaTimeout.compareTo(ROOM_TO_ANSWER.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("a Lambda timeout of " + lambdaTimeout + " leaves no time for an AWS"
                    + " call; Jobway's functions need at least 2 s");
        }
        Duration call = min(MAX_CALL, lambdaTimeout.minus(ROOM_TO_ANSWER).dividedBy(CALLS_IN_A_ROW));
        return new AwsCallTimeouts(min(MAX_ATTEMPT, call.dividedBy(2)), call);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
