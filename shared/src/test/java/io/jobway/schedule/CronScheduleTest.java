package io.jobway.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void five_fields_fire_in_the_schedules_time_zone() {
        CronSchedule nightly = CronSchedule.parse("0 2 * * *", "Europe/Berlin");

        Instant next = nightly.nextAfter(Instant.parse("2027-01-10T12:00:00Z")).orElseThrow();

        assertThat(next).isEqualTo(Instant.parse("2027-01-11T01:00:00Z")); // 02:00 in Berlin is 01:00 UTC in winter
    }

    @ParameterizedTest
    @CsvSource({"@hourly,2027-01-10T13:00:00Z", "@daily,2027-01-11T00:00:00Z", "@midnight,2027-01-11T00:00:00Z",
            "@weekly,2027-01-17T00:00:00Z", "@monthly,2027-02-01T00:00:00Z", "@yearly,2028-01-01T00:00:00Z",
            "@annually,2028-01-01T00:00:00Z"})
    void the_aliases_mean_what_crontab_says(String alias, String expected) {
        assertThat(CronSchedule.parse(alias, "UTC").nextAfter(Instant.parse("2027-01-10T12:30:00Z")))
                .contains(Instant.parse(expected));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"61 * * * *|cron", "* * *|cron", "0 0 31 2 *|cron", "@reboot|cron",
            "every day|cron", "0 2 * * *|timezone", "1-/ * * * *|cron"})
    void a_wrong_cron_or_time_zone_is_refused_naming_which(String cron, String field) {
        String zone = field.equals("timezone") ? "Mars/Olympus" : "UTC";

        assertThatThrownBy(() -> CronSchedule.parse(cron, zone)).isInstanceOfSatisfying(CronSchedule.Invalid.class,
                e -> assertThat(e.field()).isEqualTo(field));
    }

    @Test
    void a_local_time_the_spring_forward_skips_does_not_fire_that_day() {
        CronSchedule at230 = CronSchedule.parse("30 2 * * *", "Europe/Berlin");

        List<LocalDate> days = at230.next(3, Instant.parse("2027-03-26T12:00:00Z")).stream()
                .map(t -> ZonedDateTime.ofInstant(t, BERLIN).toLocalDate()).toList();

        // 2027-03-28 02:00 jumps to 03:00 in Berlin: there is no 02:30 that day
        assertThat(days).containsExactly(LocalDate.parse("2027-03-27"), LocalDate.parse("2027-03-29"),
                LocalDate.parse("2027-03-30"));
    }

    @Test
    void a_local_time_the_fall_back_repeats_fires_once() {
        CronSchedule at230 = CronSchedule.parse("30 2 * * *", "Europe/Berlin");

        List<Instant> fires = at230.next(3, Instant.parse("2027-10-30T12:00:00Z"));

        // 2027-10-31 03:00 goes back to 02:00 in Berlin: 02:30 happens twice, the schedule fires at the first
        assertThat(fires).containsExactly(Instant.parse("2027-10-31T00:30:00Z"), Instant.parse("2027-11-01T01:30:00Z"),
                Instant.parse("2027-11-02T01:30:00Z"));
    }

    @Test
    void the_latest_fire_time_at_or_before_an_instant_includes_the_instant_itself() {
        CronSchedule quarterly = CronSchedule.parse("*/15 * * * *", "UTC");

        assertThat(quarterly.latestAtOrBefore(Instant.parse("2027-01-10T12:15:00Z")))
                .contains(Instant.parse("2027-01-10T12:15:00Z"));
        assertThat(quarterly.latestAtOrBefore(Instant.parse("2027-01-10T12:29:59Z")))
                .contains(Instant.parse("2027-01-10T12:15:00Z"));
    }
}
