package io.jobway.obs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.aws.Priming;
import io.jobway.fixtures.FakeLambdaContext;
import io.jobway.fixtures.LogCapture;
import io.jobway.json.Json;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every line carries the scopes open on its thread: the invocation's request id and cold start, a job's fields. */
class LogTest {
    @Test
    void an_invocations_lines_carry_its_request_id_and_only_the_first_is_a_cold_start() {
        String function = "fn-" + UUID.randomUUID();
        List<JsonNode> lines = lines(LogCapture.during(() -> {
            try (Log.Scope ignored = Log.invocation(Priming.context(function, Duration.ofSeconds(10)))) {
                Log.info("primed");
            }
            for (int i = 0; i < 2; i++) {
                try (Log.Scope ignored = Log.invocation(new FakeLambdaContext(function, Duration.ofSeconds(10)))) {
                    Log.info("handled", "n", i);
                }
            }
            Log.info("outside");
        }));

        assertThat(lines.get(0).get("requestId").asText()).isEqualTo(Log.PRIMING_REQUEST_ID);
        assertThat(lines.get(0).get("coldStart").asBoolean()).as("priming is no invocation").isFalse();
        assertThat(lines.get(1).get("requestId").asText()).isEqualTo("00000000-0000-4000-8000-000000000000");
        assertThat(lines.get(1).get("function").asText()).isEqualTo(function);
        assertThat(lines.get(1).get("coldStart").isBoolean()).isTrue();
        assertThat(lines.get(1).get("coldStart").asBoolean()).as("the first invocation after priming").isTrue();
        assertThat(lines.get(2).get("coldStart").asBoolean()).isFalse();
        assertThat(lines.get(3).has("requestId")).as("after the invocation").isFalse();
    }

    @Test
    void a_jobs_fields_reach_the_threads_it_starts_a_lines_own_field_wins_and_closing_restores() throws Exception {
        List<JsonNode> lines = lines(LogCapture.during(() -> {
            try (Log.Scope outer = Log.with("jobId", "j-1", "tenantId", "acme")) {
                try (Log.Scope inner = Log.with("attempt", 2, "type", "echo")) {
                    Thread handler = Thread.ofVirtual().start(() -> Log.info("from the handler"));
                    join(handler);
                    Log.info("own field", "tenantId", "other");
                }
                Log.info("inner closed");
            }
            Log.info("all closed");
        }));

        assertThat(lines.get(0).get("jobId").asText()).isEqualTo("j-1");
        assertThat(lines.get(0).get("attempt").asInt()).isEqualTo(2);
        assertThat(lines.get(0).get("type").asText()).isEqualTo("echo");
        assertThat(lines.get(1).get("tenantId").asText()).isEqualTo("other");
        assertThat(lines.get(2).has("attempt")).isFalse();
        assertThat(lines.get(2).get("tenantId").asText()).isEqualTo("acme");
        assertThat(lines.get(3).has("jobId")).isFalse();
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<JsonNode> lines(String output) {
        return output.lines().filter(l -> l.startsWith("{")).map(Json::parse).toList();
    }
}
