package io.jobway.job;

/** What a client asked for when submitting a job, already validated. {@code payload} is JSON text. */
public record JobSpec(String type, String payload, int maxAttempts, int timeoutSeconds, int delaySeconds,
                      String callbackUrl, String idempotencyKey) {
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final int MAX_MAX_ATTEMPTS = 25;
    public static final int DEFAULT_TIMEOUT_SECONDS = 60;
    /** The worker Lambda's 900 s limit less a margin to record the outcome. */
    public static final int MAX_TIMEOUT_SECONDS = 870;
    /** SQS's longest message delay. */
    public static final int MAX_DELAY_SECONDS = 900;
    public static final int MAX_PAYLOAD_BYTES = 256 * 1024;
    /**
     * How deep a payload may nest. Jackson refuses documents deeper than 1,000 levels, and every answer that
     * carries a payload (a listing, an event, a webhook) nests it a few levels deeper still: a payload accepted near
     * that depth would break them all. 64 is far beyond any real payload and far below the parser's limit.
     */
    public static final int MAX_PAYLOAD_DEPTH = 64;
}
