package io.jobway.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobway.schedule.Schedule.CatchUp;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FirePlanTest {
    private static final CronSchedule EVERY_15_MINUTES = CronSchedule.parse("*/15 * * * *", "UTC");
    private static final Instant NOON = Instant.parse("2027-01-10T12:00:00Z");

    @Test
    void a_fire_time_within_two_minutes_is_submitted_ahead_and_the_schedule_moves_to_the_next() {
        FirePlan plan = FirePlan.of(EVERY_15_MINUTES, CatchUp.LATEST, NOON, NOON.minusSeconds(100));

        assertThat(plan.fires()).containsExactly(NOON);
        assertThat(plan.nextFireAt()).isEqualTo(NOON.plus(Duration.ofMinutes(15)));
        assertThat(plan.missedSkipped()).isZero();
    }

    @Test
    void a_fire_time_further_off_waits() {
        FirePlan plan = FirePlan.of(EVERY_15_MINUTES, CatchUp.LATEST, NOON, NOON.minus(Duration.ofMinutes(3)));

        assertThat(plan.fires()).isEmpty();
        assertThat(plan.nextFireAt()).isEqualTo(NOON);
    }

    @Test
    void a_schedule_every_minute_submits_each_minute_up_to_two_ahead() {
        CronSchedule everyMinute = CronSchedule.parse("* * * * *", "UTC");

        FirePlan plan = FirePlan.of(everyMinute, CatchUp.LATEST, NOON, NOON.minusSeconds(1));

        assertThat(plan.fires()).containsExactly(NOON, NOON.plusSeconds(60));
        assertThat(plan.nextFireAt()).isEqualTo(NOON.plusSeconds(120));
    }

    @Test
    void after_three_hours_down_catch_up_latest_fires_the_latest_missed_time_once_not_twelve() {
        Instant now = NOON.plus(Duration.ofHours(3)).plusSeconds(400); // 15:06:40

        FirePlan plan = FirePlan.of(EVERY_15_MINUTES, CatchUp.LATEST, NOON, now);

        assertThat(plan.fires()).containsExactly(Instant.parse("2027-01-10T15:00:00Z"));
        assertThat(plan.missedSkipped()).isEqualTo(12); // 12:00 to 14:45
        assertThat(plan.nextFireAt()).isEqualTo(Instant.parse("2027-01-10T15:15:00Z"));
    }

    @Test
    void after_downtime_catch_up_none_fires_nothing_it_missed() {
        Instant now = NOON.plus(Duration.ofHours(3)).plusSeconds(400);

        FirePlan plan = FirePlan.of(EVERY_15_MINUTES, CatchUp.NONE, NOON, now);

        assertThat(plan.fires()).isEmpty();
        assertThat(plan.missedSkipped()).isEqualTo(13);
        assertThat(plan.nextFireAt()).isEqualTo(Instant.parse("2027-01-10T15:15:00Z"));
    }

    @Test
    void a_sweep_a_minute_late_is_not_downtime_even_without_catch_up() {
        FirePlan plan = FirePlan.of(EVERY_15_MINUTES, CatchUp.NONE, NOON, NOON.plusSeconds(70));

        assertThat(plan.fires()).containsExactly(NOON);
        assertThat(plan.missedSkipped()).isZero();
    }
}
