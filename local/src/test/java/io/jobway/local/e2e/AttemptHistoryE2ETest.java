package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A job's detail tells what happened to it: each attempt with its times and outcome, and the error's stack. */
class AttemptHistoryE2ETest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final LocalJobway jobway = LocalJobway.shared();

    @Test
    void a_job_failing_twice_then_succeeding_shows_its_three_attempts_and_the_stack_of_its_last_failure() {
        String id = jobway.submit("{\"type\":\"fail\",\"payload\":{\"times\":2},\"maxAttempts\":3}");

        jobway.awaitStatus(id, "succeeded", WAIT);
        JsonNode job = jobway.job(id);

        JsonNode attempts = job.get("attempts");
        assertThat(attempts).hasSize(3);
        for (int i = 0; i < 3; i++) {
            JsonNode attempt = attempts.get(i);
            assertThat(attempt.get("attempt").asInt()).isEqualTo(i + 1);
            assertThat(attempt.get("outcome").asText()).isEqualTo(i < 2 ? "failed" : "succeeded");
            Instant started = Instant.parse(attempt.get("startedAt").asText());
            Instant finished = Instant.parse(attempt.get("finishedAt").asText());
            assertThat(finished).isAfterOrEqualTo(started);
            if (i > 0) {
                assertThat(started).as("attempt %d starts after the one before ended", i + 1)
                        .isAfterOrEqualTo(Instant.parse(attempts.get(i - 1).get("finishedAt").asText()));
            }
        }
        assertThat(attempts.get(1).get("error").get("type").asText()).isEqualTo("IllegalStateException");
        assertThat(attempts.get(1).get("error").get("message").asText())
                .isEqualTo("failing on purpose: attempt 2 of 2 planned failures");
        assertThat(attempts.get(1).get("error").has("stack")).as("the stack is only in the job's error").isFalse();
        assertThat(attempts.get(2).get("error").isNull()).isTrue();
        assertThat(Instant.parse(attempts.get(2).get("finishedAt").asText()))
                .isEqualTo(Instant.parse(job.get("finishedAt").asText()));
        assertThat(job.get("error").get("stack").asText())
                .startsWith("java.lang.IllegalStateException: failing on purpose: attempt 2")
                .contains("\tat io.jobway.worker.builtin.FailHandler.handle(");
    }

    @Test
    void a_running_job_shows_its_attempt_running_without_an_end() {
        String id = jobway.submit("{\"type\":\"sleep\",\"payload\":{\"ms\":3000}}");

        JsonNode running = jobway.awaitStatus(id, "running", WAIT);

        assertThat(running.get("attempts")).hasSize(1);
        assertThat(running.get("attempts").get(0).get("outcome").asText()).isEqualTo("running");
        assertThat(running.get("attempts").get(0).get("finishedAt").isNull()).isTrue();
        assertThat(running.get("attempts").get(0).get("startedAt").asText()).isEqualTo(running.get("startedAt").asText());
        assertThat(running.get("error").isNull()).isTrue();
    }
}
