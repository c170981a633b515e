package io.jobway.dlq;

import java.time.Instant;

/**
 * A message in the jobs' DLQ that never had a job to go with it, as the sweeper found it there: its body could not
 * be read as a job message, or it names a job whose record never appeared. {@code tenantId} is the tenant the body
 * names (null when it names none); {@code jobId} is null for an unparseable body; {@code body} is cut to
 * {@link #MAX_BODY_CHARS}.
 */
public record UnclaimedDeadLetter(String messageId, String tenantId, Reason reason, String jobId, String body,
                                  Instant sentAt, Instant seenAt) {
    public static final int MAX_BODY_CHARS = 1_000;

    public UnclaimedDeadLetter {
        body = body.length() > MAX_BODY_CHARS ? body.substring(0, MAX_BODY_CHARS) : body;
    }

    public enum Reason {
        UNPARSEABLE_BODY("unparseable-body"),
        RECORD_NEVER_APPEARED("record-never-appeared");

        private final String wireName;

        Reason(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static Reason fromWire(String wireName) {
            for (Reason reason : values()) {
                if (reason.wireName.equals(wireName)) {
                    return reason;
                }
            }
            throw new IllegalArgumentException("no reason '" + wireName + "'");
        }
    }
}
