package io.jobway.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which fire times one sweep submits for a schedule, and where it leaves the schedule: every fire time from
 * {@code nextFireAt} up to {@link Schedule#AHEAD} from now. Fire times already passed were missed (the sweeper was
 * down or late): of those, only the latest is submitted, and, with catch-up {@code none}, only if it passed less
 * than {@link #ON_TIME} ago, so downtime ends without a burst.
 */
public record FirePlan(List<Instant> fires, int missedSkipped, Instant nextFireAt) {
    /** A fire time this recent still counts as on time: a sweep a minute late is not downtime. */
    public static final Duration ON_TIME = Duration.ofMinutes(2);
    /** At most this many fire times per schedule per sweep (a schedule every minute needs three). */
    public static final int MAX_FIRES = 10;
    private static final int MAX_COUNTED = 100_000;

    public static FirePlan of(CronSchedule cron, Schedule.CatchUp catchUp, Instant nextFireAt, Instant now) {
        List<Instant> fires = new ArrayList<>();
        int skipped = 0;
        Optional<Instant> next = Optional.of(nextFireAt);
        if (!nextFireAt.isAfter(now)) {
            Instant latest = cron.latestAtOrBefore(now).orElse(nextFireAt);
            int missed = 0;
            for (Optional<Instant> f = next; f.isPresent() && !f.get().isAfter(latest) && missed < MAX_COUNTED;
                 f = cron.nextAfter(f.get())) {
                missed++;
            }
            if (catchUp == Schedule.CatchUp.LATEST || !latest.isBefore(now.minus(ON_TIME))) {
                fires.add(latest);
                missed--;
            }
            skipped = Math.max(missed, 0);
            next = cron.nextAfter(latest);
        }
        Instant horizon = now.plus(Schedule.AHEAD);
        while (next.isPresent() && !next.get().isAfter(horizon) && fires.size() < MAX_FIRES) {
            fires.add(next.get());
            next = cron.nextAfter(next.get());
        }
        return new FirePlan(List.copyOf(fires), skipped, next.orElse(null));
    }
}
