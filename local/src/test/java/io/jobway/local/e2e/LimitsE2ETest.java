package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.local.AdjustableClock;
import io.jobway.local.LocalRuntime;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Per-key limits through the HTTP API, on a runtime whose functions read a clock the test moves: the next hour's
 * window opens in a call.
 */
class LimitsE2ETest {
    private static final AdjustableClock CLOCK = new AdjustableClock();
    private static LocalJobway jobway;

    @BeforeAll
    static void start() {
        jobway = LocalJobway.start(LocalRuntime.Options.inMemory(LocalJobway.templatePath()).withClock(CLOCK)
                .withStackName("jobway-limits"));
    }

    @AfterAll
    static void stop() {
        if (jobway != null) {
            jobway.close();
        }
    }

    @Test
    void jobs_of_one_key_run_one_at_a_time_three_an_hour_and_the_rest_wait_for_the_next_hour_spending_no_attempt() {
        LocalJobway.Response set = jobway.put("/v1/limits/sleep?rateKey=acct-1", LocalJobway.KEY_A,
                "{\"rate\":{\"limit\":3,\"per\":\"1h\"},\"maxRunning\":1}");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.json().get("rate").get("per").asText()).isEqualTo("1h");
        // at the start of an hour, so the window's end is beyond SQS's 15 minutes and the waiting jobs are scheduled
        Instant hour = CLOCK.instant().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
        CLOCK.advanceTo(hour.plusSeconds(1));

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(jobway.submit("{\"type\":\"sleep\",\"payload\":{\"ms\":300},\"rateKey\":\"acct-1\"}"));
        }
        String otherKey = jobway.submit("{\"type\":\"sleep\",\"payload\":{\"ms\":300},\"rateKey\":\"acct-2\"}");

        assertThat(jobway.awaitStatus(otherKey, "succeeded", Duration.ofSeconds(30)).get("attempt").asInt()).isOne();
        List<JsonNode> firstHour = awaitCount(ids, "succeeded", 3);
        List<JsonNode> waiting = awaitCount(ids, "scheduled", 3);
        assertThat(waiting).allSatisfy(job -> {
            assertThat(job.get("deferredUntil").asText()).isEqualTo(hour.plus(Duration.ofHours(1)).toString());
            assertThat(job.get("attempt").asInt()).isZero();
        });

        CLOCK.advanceTo(hour.plus(Duration.ofHours(1)));
        jobway.local("fires the sweeper").fireSchedules();
        List<JsonNode> all = awaitCount(ids, "succeeded", 6);

        assertThat(all).allSatisfy(job -> assertThat(job.get("attempt").asInt()).isOne());
        assertThat(startedIn(all, hour)).isEqualTo(3);
        assertThat(startedIn(all, hour.plus(Duration.ofHours(1)))).isEqualTo(3);
        // the handlers' own times: a job's startedAt is its claim, which comes before its limits let it run
        List<JsonNode> byStart = all.stream().map(j -> j.get("result"))
                .sorted(Comparator.comparing(r -> r.get("from").asText())).toList();
        for (int i = 1; i < byStart.size(); i++) {
            assertThat(Instant.parse(byStart.get(i).get("from").asText()))
                    .as("one at a time: each handler starts after the one before ended")
                    .isAfterOrEqualTo(Instant.parse(byStart.get(i - 1).get("until").asText()));
        }
        assertThat(firstHour).hasSize(3);
    }

    @Test
    void limits_are_listed_and_removed() {
        jobway.put("/v1/limits/echo", LocalJobway.KEY_B, "{\"maxRunning\":4}");
        jobway.put("/v1/limits/echo?rateKey=vip", LocalJobway.KEY_B, "{\"rate\":{\"limit\":50,\"per\":\"1d\"}}");

        JsonNode listed = jobway.get("/v1/limits", LocalJobway.KEY_B).json().get("items");
        assertThat(listed).hasSize(2);
        assertThat(listed.get(0).get("rateKey").isNull()).isTrue();
        assertThat(listed.get(0).get("maxRunning").asInt()).isEqualTo(4);
        assertThat(listed.get(1).get("rateKey").asText()).isEqualTo("vip");
        assertThat(listed.get(1).get("rate").get("limit").asInt()).isEqualTo(50);
        assertThat(jobway.get("/v1/limits", LocalJobway.KEY_A).json().get("items").findValuesAsText("rateKey"))
                .as("another tenant's limits").doesNotContain("vip");

        assertThat(jobway.delete("/v1/limits/echo?rateKey=vip", LocalJobway.KEY_B).status()).isEqualTo(204);
        assertThat(jobway.delete("/v1/limits/echo?rateKey=vip", LocalJobway.KEY_B).status()).isEqualTo(404);
        assertThat(jobway.get("/v1/limits", LocalJobway.KEY_B).json().get("items")).hasSize(1);
    }

    static Stream<Arguments> badLimits() {
        return Stream.of(
                Arguments.of("/v1/limits/echo", "{}", "body"),
                Arguments.of("/v1/limits/echo", "{\"maxRunning\":null,\"rate\":null}", "body"), // was a 500 (schemathesis)
                Arguments.of("/v1/limits/echo", "{\"rate\":{\"limit\":50,\"per\":\"1 day\"}}", "rate.per"),
                Arguments.of("/v1/limits/echo", "{\"rate\":{\"limit\":50,\"per\":\"40d\"}}", "rate.per"),
                Arguments.of("/v1/limits/echo", "{\"rate\":{\"per\":\"1d\"}}", "rate.limit"),
                Arguments.of("/v1/limits/echo", "{\"rate\":{\"limit\":0,\"per\":\"1d\"}}", "rate.limit"),
                Arguments.of("/v1/limits/echo", "{\"maxRunning\":-1}", "maxRunning"),
                Arguments.of("/v1/limits/echo", "{\"maxRunning\":2,\"burst\":5}", "burst"),
                Arguments.of("/v1/limits/no-such-type", "{\"maxRunning\":2}", "type"),
                Arguments.of("/v1/limits/echo?key=x", "{\"maxRunning\":2}", "key"));
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @MethodSource("badLimits")
    void a_bad_limit_gets_a_400_naming_the_field_and_changes_nothing(String path, String body, String field) {
        LocalJobway.Response response = jobway.put(path, LocalJobway.KEY_A, body);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().get("errors").findValuesAsText("field")).contains(field);
        assertThat(jobway.get("/v1/limits", LocalJobway.KEY_A).json().get("items").findValuesAsText("type"))
                .doesNotContain("echo");
    }

    private static long startedIn(List<JsonNode> jobs, Instant hour) {
        return jobs.stream().map(j -> Instant.parse(j.get("startedAt").asText()))
                .filter(t -> !t.isBefore(hour) && t.isBefore(hour.plus(Duration.ofHours(1)))).count();
    }

    /** Polls until {@code n} of the jobs are in {@code status}; returns those. */
    private static List<JsonNode> awaitCount(List<String> ids, String status, int n) {
        Instant end = Instant.now().plusSeconds(40);
        while (true) {
            List<JsonNode> jobs = ids.stream().map(jobway::job).toList();
            List<JsonNode> matching = jobs.stream().filter(j -> j.get("status").asText().equals(status)).toList();
            if (matching.size() >= n) {
                return matching;
            }
            if (Instant.now().isAfter(end)) {
                throw new AssertionError(n + " of the jobs did not reach " + status + "; last seen: " + jobs);
            }
            LocalJobway.pause(Duration.ofMillis(200));
        }
    }
}
