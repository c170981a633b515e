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

    public JobIds(Clock clock) {
        this.clock = clock;
        this.random = new SecureRandom();
    }

    public String next() {
        long millis = clock.millis();
        long randA = random.nextInt(1 << 12);
        long msb = (millis << 16) | (0x7L << 12) | randA;
        long lsb = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb).toString();
    }

    /** True when the text is a UUID in canonical form; ids from the outside are checked before any lookup. */
    public static boolean isValid(String id) {
        return id != null && id.length() == 36
                && id.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    }
}
