package io.jobway.local;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The system clock plus an offset that only moves forward: what a test gives the local runtime's functions
 * ({@link LocalRuntime.Options#withClock}) to make a job scheduled for next week, or tomorrow's cron fire time, due
 * now. Time keeps running between moves, so SQS delays and leases, which the emulators count in real time, still
 * agree with it.
 */
public final class AdjustableClock extends Clock {
    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    /** Moves the clock forward by {@code step}. */
    public void advance(Duration step) {
        if (step.isNegative()) {
            throw new IllegalArgumentException("the clock only moves forward; was asked to move " + step);
        }
        offset.accumulateAndGet(step, Duration::plus);
    }

    /** Moves the clock forward to {@code instant}; a time already passed leaves it where it is. */
    public void advanceTo(Instant instant) {
        offset.updateAndGet(current -> {
            Duration needed = Duration.between(Instant.now().plus(current), instant);
            return needed.isNegative() ? current : current.plus(needed);
        });
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("an AdjustableClock is in UTC, as every Jobway function reads it");
    }
}
