package io.jobway.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A five-field Unix cron expression (or {@code @hourly}, {@code @daily}, {@code @midnight}, {@code @weekly},
 * {@code @monthly}, {@code @yearly}, {@code @annually}) in an IANA time zone, read and evaluated by cron-utils.
 * Daylight saving time is cron-utils': a local time that a spring-forward skips does not fire that day, and one
 * that an autumn fall-back repeats fires once.
 */
public final class CronSchedule {
    /** cron-utils' Unix crontab definition, with the nicknames it leaves out by default. */
    private static final CronDefinition UNIX_WITH_NICKNAMES = CronDefinitionBuilder.defineCron()
            .withMinutes().withValidRange(0, 59).withStrictRange().and()
            .withHours().withValidRange(0, 23).withStrictRange().and()
            .withDayOfMonth().withValidRange(1, 31).withStrictRange().and()
            .withMonth().withValidRange(1, 12).withStrictRange().and()
            .withDayOfWeek().withValidRange(0, 7).withMondayDoWValue(1).withIntMapping(7, 0).withStrictRange().and()
            .withSupportedNicknameYearly().withSupportedNicknameAnnually().withSupportedNicknameMonthly()
            .withSupportedNicknameWeekly().withSupportedNicknameMidnight().withSupportedNicknameDaily()
            .withSupportedNicknameHourly()
            .instance();
    private static final CronParser PARSER = new CronParser(UNIX_WITH_NICKNAMES);

    /** A cron or time zone that cannot be used; {@code field} is "cron" or "timezone". */
    public static final class Invalid extends IllegalArgumentException {
        private final String field;

        Invalid(String field, String message) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    private final String expression;
    private final ZoneId zone;
    private final ExecutionTime times;

    private CronSchedule(String expression, ZoneId zone, ExecutionTime times) {
        this.expression = expression;
        this.zone = zone;
        this.times = times;
    }

    /** Reads both, or throws {@link Invalid} naming the wrong one and why. */
    public static CronSchedule parse(String expression, String timezone) {
        ZoneId zone;
        try {
            zone = ZoneId.of(timezone);
        } catch (DateTimeException | NullPointerException e) {
            throw new Invalid("timezone", "'" + timezone + "' is not an IANA time zone such as Europe/Berlin or UTC");
        }
        Cron cron;
        try {
            cron = PARSER.parse(expression.trim()).validate();
        } catch (RuntimeException e) { // cron-utils throws more than IllegalArgumentException on some input
            throw new Invalid("cron", "'" + expression + "' is not a 5-field cron expression (minute hour"
                    + " day-of-month month day-of-week) or an alias such as @daily"
                    + (e instanceof IllegalArgumentException ? ": " + e.getMessage() : ""));
        }
        CronSchedule schedule = new CronSchedule(expression.trim(), zone, ExecutionTime.forCron(cron));
        if (schedule.nextAfter(Instant.now()).isEmpty()) {
            throw new Invalid("cron", "'" + expression + "' never fires (no such date)");
        }
        return schedule;
    }

    public String expression() {
        return expression;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The first fire time strictly after {@code t}. */
    public Optional<Instant> nextAfter(Instant t) {
        return times.nextExecution(ZonedDateTime.ofInstant(t, zone)).map(ZonedDateTime::toInstant);
    }

    /** The last fire time at or before {@code t}. */
    public Optional<Instant> latestAtOrBefore(Instant t) {
        ZonedDateTime at = ZonedDateTime.ofInstant(t, zone);
        if (times.isMatch(at) && at.getSecond() == 0 && at.getNano() == 0) {
            return Optional.of(t);
        }
        return times.lastExecution(at).map(ZonedDateTime::toInstant);
    }

    /** The next {@code n} fire times after {@code t}. */
    public List<Instant> next(int n, Instant t) {
        List<Instant> out = new ArrayList<>();
        Instant from = t;
        for (int i = 0; i < n; i++) {
            Optional<Instant> next = nextAfter(from);
            if (next.isEmpty()) {
                break;
            }
            out.add(next.get());
            from = next.get();
        }
        return out;
    }
}
