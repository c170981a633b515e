package io.jobway.job;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/**
 * Time-ordered job ids (UUIDv7, RFC 9562): the tenant index sorts on them, so newest first is a plain
 * descending query. Create one per handler, never in static init (SnapStart would freeze the random state).
 */
public final class JobIds {
    private final Clock clock;
    private final SecureRandom random;
    private long lastMillis = -1;
    private int sequence;

    public JobIds(Clock clock) {
        this.clock = clock;
        this.random = new SecureRandom();
    }

    /**
     * Ids from one generator increase strictly: within a millisecond the 12-bit {@code rand_a} field counts up
     * from a random start (RFC 9562, method 1); if it runs out, the timestamp moves on by a millisecond.
     */
    public synchronized String next() {
        long millis = Math.max(clock.millis(), lastMillis);
        if (millis == lastMillis) {
            if (++sequence > 0xFFF) {
                millis++;
                sequence = random.nextInt(1 << 11);
            }
        } else {
            sequence = random.nextInt(1 << 11); // a random start that leaves room to count
        }
        lastMillis = millis;
        long msb = (millis << 16) | (0x7L << 12) | sequence;
        long lsb = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb).toString();
    }

    /** True when the text is a UUID in canonical form; ids from the outside are checked before any lookup. */
    public static boolean isValid(String id) {
        return id != null && id.length() == 36
                && id.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    }
}
