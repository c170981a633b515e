package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.local.AdjustableClock;
import io.jobway.local.LocalRuntime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cron schedules through the HTTP API, fired by the sweeper's tick on a runtime whose functions read a clock the
 * test moves forward.
 */
class SchedulesE2ETest {
    private static final AdjustableClock CLOCK = new AdjustableClock();
    private static LocalJobway jobway;

    @BeforeAll
    static void start() {
        jobway = LocalJobway.start(LocalRuntime.Options.inMemory(LocalJobway.templatePath()).withClock(CLOCK)
                .withStackName("jobway-schedules"));
    }

    @AfterAll
    static void stop() {
        if (jobway != null) {
            jobway.close();
        }
    }

    @Test
    void a_schedule_fires_each_fire_time_once_on_the_second_and_after_downtime_only_its_latest_missed_time() {
        LocalJobway.Response created = create(LocalJobway.KEY_A, """
                {"name":"quarter-hourly","cron":"*/15 * * * *","timezone":"UTC",
                 "job":{"type":"echo","payload":{"report":"drain"}}}""");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        List<Instant> next = times(created.json().get("nextFireTimes"));
        assertThat(next).hasSize(5);
        assertThat(Duration.between(next.get(0), next.get(1))).isEqualTo(Duration.ofMinutes(15));

        Instant fireTime = next.get(0);
        CLOCK.advanceTo(fireTime.minusSeconds(20));
        sweepsOverlapping(); // two sweeps at once read the same due schedule: the fire time's key makes one job
        sweep();
        JsonNode schedule = schedule("quarter-hourly");
        String jobId = schedule.get("lastFired").get("jobId").asText();
        assertThat(schedule.get("lastFired").get("fireTime").asText()).isEqualTo(fireTime.toString());
        assertThat(times(schedule.get("nextFireTimes")).get(0)).isEqualTo(next.get(1));
        assertThat(jobsOfType("echo")).containsOnlyOnce(jobId);

        JsonNode done = jobway.awaitStatus(jobId, "succeeded", Duration.ofSeconds(40));
        assertThat(Duration.between(fireTime, Instant.parse(done.get("startedAt").asText())).abs())
                .isLessThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(done.get("result").get("report").asText()).isEqualTo("drain");

        // three hours of downtime, then a sweep: one job, for the latest fire time it missed
        int before = jobsOfType("echo").size();
        CLOCK.advanceTo(fireTime.plus(Duration.ofHours(3)).plusSeconds(300));
        sweep();
        JsonNode caughtUp = schedule("quarter-hourly");
        assertThat(caughtUp.get("lastFired").get("fireTime").asText())
                .isEqualTo(fireTime.plus(Duration.ofHours(3)).toString());
        assertThat(jobsOfType("echo")).hasSize(before + 1);
    }

    @Test
    void a_schedules_job_keeps_its_tags_and_each_job_it_fires_carries_them() {
        LocalJobway.Response created = create(LocalJobway.KEY_A, """
                {"name":"tagged","cron":"*/15 * * * *","timezone":"UTC",
                 "job":{"type":"sleep","payload":{"ms":1},"tags":["user:42","nightly"]}}""");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("job").get("tags").toString()).isEqualTo("[\"user:42\",\"nightly\"]");
        try {
            Instant fireTime = times(created.json().get("nextFireTimes")).get(0);
            CLOCK.advanceTo(fireTime.minusSeconds(20));
            sweep();

            String jobId = schedule("tagged").get("lastFired").get("jobId").asText();
            assertThat(jobway.job(jobId).get("tags").toString()).isEqualTo("[\"user:42\",\"nightly\"]");
            assertThat(jobway.get("/v1/jobs?tag=nightly&limit=100", LocalJobway.KEY_A).json().get("items")
                    .findValuesAsText("jobId")).contains(jobId);
        } finally {
            jobway.delete("/v1/schedules/tagged", LocalJobway.KEY_A);
        }
    }

    @Test
    void a_disabled_schedule_fires_nothing_and_a_deleted_one_is_gone() {
        create(LocalJobway.KEY_B, "{\"name\":\"nightly\",\"cron\":\"@daily\",\"timezone\":\"Europe/Berlin\","
                + "\"job\":{\"type\":\"echo\"}}");
        LocalJobway.Response disabled = jobway.put("/v1/schedules/nightly", LocalJobway.KEY_B,
                "{\"cron\":\"@daily\",\"timezone\":\"Europe/Berlin\",\"job\":{\"type\":\"echo\"},\"enabled\":false}");
        assertThat(disabled.status()).as(disabled.body()).isEqualTo(200);
        assertThat(disabled.json().get("nextFireTimes")).isEmpty();

        CLOCK.advance(Duration.ofDays(2));
        sweep();
        assertThat(jobway.get("/v1/schedules/nightly", LocalJobway.KEY_B).json().get("lastFired").isNull()).isTrue();
        assertThat(jobway.get("/v1/schedules", LocalJobway.KEY_B).json().get("items").findValuesAsText("name"))
                .containsExactly("nightly");
        assertThat(jobway.get("/v1/schedules/nightly", LocalJobway.KEY_A).status()).as("another tenant's")
                .isEqualTo(404);

        assertThat(jobway.delete("/v1/schedules/nightly", LocalJobway.KEY_B).status()).isEqualTo(204);
        assertThat(jobway.get("/v1/schedules/nightly", LocalJobway.KEY_B).status()).isEqualTo(404);
        assertThat(jobway.delete("/v1/schedules/nightly", LocalJobway.KEY_B).status()).isEqualTo(404);
    }

    static Stream<Arguments> badSchedules() {
        String job = ",\"job\":{\"type\":\"echo\"}";
        return Stream.of(
                Arguments.of("{\"name\":\"a\",\"cron\":\"61 * * * *\"" + job + "}", "cron"),
                Arguments.of("{\"name\":\"a\",\"cron\":\"0 0 31 2 *\"" + job + "}", "cron"),
                Arguments.of("{\"name\":\"a\",\"cron\":\"@daily\",\"timezone\":\"Mars/Olympus\"" + job + "}", "timezone"),
                Arguments.of("{\"name\":\"a b\",\"cron\":\"@daily\"" + job + "}", "name"),
                Arguments.of("{\"cron\":\"@daily\"" + job + "}", "name"),
                Arguments.of("{\"name\":\"a\",\"cron\":\"@daily\",\"catchUp\":\"all\"" + job + "}", "catchUp"),
                Arguments.of("{\"name\":\"a\",\"cron\":\"@daily\"}", "job"),
                Arguments.of("{\"name\":\"a\",\"cron\":\"@daily\",\"job\":{\"type\":\"nope\"}}", "job.type"),
                Arguments.of("{\"name\":\"a\",\"cron\":\"@daily\",\"job\":{\"type\":\"echo\",\"tags\":[\"ok\","
                        + "\"not ok\"]}}", "job.tags[1]"),
                Arguments.of("{\"name\":\"a\",\"cron\":\"@daily\",\"job\":{\"type\":\"echo\",\"runAt\":"
                        + "\"2030-01-01T00:00:00Z\"}}", "job.runAt"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("badSchedules")
    void a_bad_schedule_gets_a_400_naming_the_wrong_part_and_is_not_created(String body, String field) {
        LocalJobway.Response response = create(LocalJobway.KEY_A, body);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().get("errors").findValuesAsText("field")).contains(field);
        assertThat(jobway.get("/v1/schedules/a", LocalJobway.KEY_A).status()).isEqualTo(404);
    }

    @Test
    void a_second_schedule_of_the_same_name_is_a_409() {
        String body = "{\"name\":\"twice\",\"cron\":\"@hourly\",\"job\":{\"type\":\"echo\"}}";
        assertThat(create(LocalJobway.KEY_A, body).status()).isEqualTo(201);

        assertThat(create(LocalJobway.KEY_A, body).status()).isEqualTo(409);
    }

    private static LocalJobway.Response create(String key, String body) {
        return jobway.post("/v1/schedules", key, body);
    }

    private static JsonNode schedule(String name) {
        return jobway.get("/v1/schedules/" + name, LocalJobway.KEY_A).json();
    }

    private static void sweepsOverlapping() {
        var start = new java.util.concurrent.CountDownLatch(1);
        List<Thread> sweeps = Stream.of(1, 2).map(i -> Thread.ofPlatform().start(() -> {
            try {
                start.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sweep();
        })).toList();
        start.countDown();
        for (Thread t : sweeps) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static void sweep() {
        jobway.local("fires the sweeper").fireSchedules();
    }

    private static List<String> jobsOfType(String type) {
        return jobway.get("/v1/jobs?type=" + type + "&limit=100", LocalJobway.KEY_A).json().get("items")
                .findValuesAsText("jobId");
    }

    private static List<Instant> times(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false)
                .map(n -> Instant.parse(n.asText())).toList();
    }
}
