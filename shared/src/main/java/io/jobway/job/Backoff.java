package io.jobway.job;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: the wait before attempt n+1 is uniform in
 * [1 s, min(cap, base * 2^(n-1))], so retries of many failing jobs spread out instead of stampeding.
 */
public record Backoff(Duration base, Duration cap) {
    /** SQS cannot hide a message for longer than 12 hours. */
    public static final Duration MAX = Duration.ofHours(12);

    public Backoff {
        if (base.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("backoff base must be at least 1 second (SQS delays are whole"
                    + " seconds), was " + base);
        }
        if (cap.compareTo(base) < 0 || cap.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("backoff cap must be between the base and 12 hours, was " + cap);
        }
    }

    /** The wait after the given failed attempt (1-based). */
    public Duration delayAfter(int attempt, RandomGenerator random) {
        long ceiling = ceilingSeconds(attempt);
        return Duration.ofSeconds(ceiling <= 1 ? 1 : 1 + random.nextLong(ceiling));
    }

    long ceilingSeconds(int attempt) {
        int exponent = Math.max(0, Math.min(attempt - 1, 30));
        long grown = base.toSeconds() << exponent;
        return Math.min(cap.toSeconds(), grown < 0 ? Long.MAX_VALUE : grown);
    }
}
