package io.jobway.job;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a client asked for when submitting a job, already validated. {@code payload} is JSON text. The job runs at
 * {@code runAt} when that is given, else {@code delaySeconds} after it is submitted. {@code rateKey} (an account's
 * id, say) names whose limits of the job's type it counts against; null for none. {@code tags} (see {@link Tags})
 * let a tenant list and follow a group of jobs, such as one user's; never null.
 */
public record JobSpec(String type, String payload, int maxAttempts, int timeoutSeconds, int delaySeconds,
                      String callbackUrl, String idempotencyKey, Instant runAt, String rateKey, Priority priority,
                      List<String> tags) {
    public JobSpec {
        priority = priority == null ? Priority.NORMAL : priority;
        tags = Tags.of(tags);
    }

    /** A job without tags. */
    public JobSpec(String type, String payload, int maxAttempts, int timeoutSeconds, int delaySeconds,
                   String callbackUrl, String idempotencyKey, Instant runAt, String rateKey, Priority priority) {
        this(type, payload, maxAttempts, timeoutSeconds, delaySeconds, callbackUrl, idempotencyKey, runAt, rateKey,
                priority, List.of());
    }

    /** A job of normal priority to run {@code delaySeconds} after it is submitted, counted against no limit. */
    public JobSpec(String type, String payload, int maxAttempts, int timeoutSeconds, int delaySeconds,
                   String callbackUrl, String idempotencyKey) {
        this(type, payload, maxAttempts, timeoutSeconds, delaySeconds, callbackUrl, idempotencyKey, null, null, null);
    }

    /** When a job submitted at {@code now} is to run (a {@code runAt} already passed means now). */
    public Instant runAtFrom(Instant now) {
        return runAt != null ? runAt : now.plusSeconds(delaySeconds);
    }

    public JobSpec withIdempotencyKey(String key) {
        return new JobSpec(type, payload, maxAttempts, timeoutSeconds, delaySeconds, callbackUrl, key, runAt, rateKey,
                priority, tags);
    }

    public JobSpec withRunAt(Instant at) {
        return new JobSpec(type, payload, maxAttempts, timeoutSeconds, delaySeconds, callbackUrl, idempotencyKey, at,
                rateKey, priority, tags);
    }

    public JobSpec withRateKey(String key) {
        return new JobSpec(type, payload, maxAttempts, timeoutSeconds, delaySeconds, callbackUrl, idempotencyKey, runAt,
                key, priority, tags);
    }

    public JobSpec withPriority(Priority p) {
        return new JobSpec(type, payload, maxAttempts, timeoutSeconds, delaySeconds, callbackUrl, idempotencyKey, runAt,
                rateKey, p, tags);
    }

    public JobSpec withTags(List<String> t) {
        return new JobSpec(type, payload, maxAttempts, timeoutSeconds, delaySeconds, callbackUrl, idempotencyKey, runAt,
                rateKey, priority, t);
    }

    /** A rate key is 1 to this many characters. */
    public static final int MAX_RATE_KEY_LENGTH = 255;
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final int MAX_MAX_ATTEMPTS = 25;
    public static final int DEFAULT_TIMEOUT_SECONDS = 60;
    /** The worker Lambda's 900 s limit less a margin to record the outcome. */
    public static final int MAX_TIMEOUT_SECONDS = 870;
    /** How far ahead a job may be scheduled: a year. */
    public static final Duration MAX_DELAY = Duration.ofDays(365);
    public static final int MAX_DELAY_SECONDS = (int) MAX_DELAY.toSeconds();
    public static final int MAX_PAYLOAD_BYTES = 256 * 1024;
    /**
     * How deep a payload may nest. Jackson refuses documents deeper than 1,000 levels, and every answer that
     * carries a payload (a listing, an event, a webhook) nests it a few levels deeper still: a payload accepted near
     * that depth would break them all. 64 is far beyond any real payload and far below the parser's limit.
     */
    public static final int MAX_PAYLOAD_DEPTH = 64;
}
