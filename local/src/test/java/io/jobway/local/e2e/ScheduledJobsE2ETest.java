package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.local.AdjustableClock;
import io.jobway.local.LocalRuntime;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Jobs due beyond SQS's 15-minute delay, on a runtime of their own whose functions read a clock the test moves
 * forward: a week passes in a call, and the sweeper's tick is fired by hand.
 */
class ScheduledJobsE2ETest {
    private static final AdjustableClock CLOCK = new AdjustableClock();
    private static LocalJobway jobway;

    @BeforeAll
    static void start() {
        jobway = LocalJobway.start(LocalRuntime.Options.inMemory(LocalJobway.templatePath()).withClock(CLOCK)
                .withStackName("jobway-scheduled"));
    }

    @AfterAll
    static void stop() {
        if (jobway != null) {
            jobway.close();
        }
    }

    @Test
    void a_job_due_next_week_is_scheduled_then_runs_within_2_s_of_its_run_time() {
        Instant runAt = CLOCK.instant().plus(Duration.ofDays(7)).truncatedTo(ChronoUnit.SECONDS);

        LocalJobway.Response submitted = jobway.post("/v1/jobs", LocalJobway.KEY_A,
                "{\"type\":\"echo\",\"payload\":{\"report\":\"weekly\"},\"runAt\":\"" + runAt + "\"}");

        assertThat(submitted.status()).isEqualTo(202);
        assertThat(submitted.json().get("status").asText()).isEqualTo("scheduled");
        assertThat(submitted.json().get("runAt").asText()).isEqualTo(runAt.toString());
        String id = submitted.json().get("jobId").asText();
        assertThat(scheduledIds()).contains(id);

        jobway.local("fires the sweeper's schedule").fireSchedules();
        assertThat(jobway.job(id).get("status").asText()).as("a week early, the sweeper leaves it").isEqualTo("scheduled");

        CLOCK.advanceTo(runAt.minusSeconds(3));
        jobway.local("fires the sweeper's schedule").fireSchedules();
        assertThat(jobway.job(id).get("status").asText()).isIn("queued", "running", "succeeded");
        JsonNode done = jobway.awaitStatus(id, "succeeded", Duration.ofSeconds(30));

        Instant started = Instant.parse(done.get("startedAt").asText());
        assertThat(Duration.between(runAt, started).abs()).as("started at %s for %s", started, runAt)
                .isLessThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(done.get("result").get("report").asText()).isEqualTo("weekly");
        assertThat(scheduledIds()).doesNotContain(id);
    }

    @Test
    void a_cancelled_scheduled_job_never_runs() {
        String id = jobway.submit("{\"type\":\"echo\",\"payload\":{},\"delaySeconds\":86400}");
        Instant runAt = Instant.parse(jobway.job(id).get("runAt").asText());

        LocalJobway.Response cancelled = jobway.post("/v1/jobs/" + id + "/cancel", LocalJobway.KEY_A, null);

        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().get("status").asText()).isEqualTo("cancelled");
        assertThat(scheduledIds()).doesNotContain(id);
        CLOCK.advanceTo(runAt.plusSeconds(1));
        jobway.local("fires the sweeper's schedule").fireSchedules();
        LocalJobway.pause(Duration.ofSeconds(2));
        JsonNode job = jobway.job(id);
        assertThat(job.get("status").asText()).isEqualTo("cancelled");
        assertThat(job.get("attempt").asInt()).isZero();
    }

    private List<String> scheduledIds() {
        JsonNode page = jobway.get("/v1/jobs?status=scheduled&limit=100", LocalJobway.KEY_A).json();
        return page.get("items").findValuesAsText("jobId");
    }
}
