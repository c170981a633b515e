package io.jobway.schedule;

import io.jobway.job.JobSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * A tenant's cron schedule: the job it submits at each fire time of {@code cron} in {@code timezone}. While enabled,
 * {@code nextFireAt} is the next fire time not yet submitted; the sweeper submits each one up to {@link #AHEAD}
 * early, with the fire time as the job's run time.
 */
public record Schedule(String tenantId, String name, String cron, String timezone, JobSpec job, boolean enabled,
                       CatchUp catchUp, Instant nextFireAt, Instant lastFiredAt, String lastJobId, long version,
                       Instant createdAt, Instant updatedAt) {
    /**
     * A fire time's job is submitted this long ahead, with the rest as its delay, so it starts on the second even
     * though the sweeper runs once a minute. A change made within this of a fire time applies from the next one.
     */
    public static final Duration AHEAD = Duration.ofMinutes(2);
    public static final int MAX_NAME_LENGTH = 128;

    /** What a schedule does with fire times it missed (the sweeper was down): fire the latest once, or none. */
    public enum CatchUp {
        LATEST, NONE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static CatchUp fromWire(String value) {
            for (CatchUp c : values()) {
                if (c.wireName().equals(value)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("must be 'latest' or 'none'");
        }
    }

    public CronSchedule cronSchedule() {
        return CronSchedule.parse(cron, timezone);
    }

    /** The idempotency key of the job for one fire time: a fire time is submitted once, however often it is tried. */
    public String keyFor(Instant fireTime) {
        return "schedule:" + name + ":" + fireTime.getEpochSecond();
    }

    /** This schedule as the sweeper leaves it after submitting up to {@code next}. */
    public Schedule advanced(Instant next, Instant firedAt, String jobId, Instant now) {
        return new Schedule(tenantId, name, cron, timezone, job, enabled, catchUp, next,
                firedAt == null ? lastFiredAt : firedAt, jobId == null ? lastJobId : jobId, version + 1, createdAt,
                now);
    }
}
