package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.fixtures.LogCapture;
import io.jobway.json.Json;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The log lines of one job, as Logs Insights would query them: each worker line carries the invocation's request
 * id and cold-start flag and the job's id, tenant, type and attempt, the handler's own lines included.
 */
class LogLinesE2ETest {
    private static final LocalJobway jobway = LocalJobway.shared();

    @Test
    void every_line_of_a_jobs_attempts_names_the_invocation_and_the_job() {
        E2eTarget.requireLocalRuntime("the functions' stdout is this JVM's");
        AtomicReference<String> id = new AtomicReference<>();
        String output = LogCapture.during(() -> {
            id.set(jobway.submit("{\"type\":\"fail\",\"payload\":{\"times\":1}}"));
            jobway.awaitStatus(id.get(), "succeeded", Duration.ofSeconds(30));
        });
        List<JsonNode> lines = output.lines().filter(l -> l.startsWith("{")).map(Json::parse)
                .filter(l -> l.path("jobId").asText().equals(id.get())).toList();

        List<JsonNode> worker = lines.stream().filter(l -> l.path("function").asText().equals("WorkerFunction"))
                .toList();
        assertThat(worker).extracting(l -> l.get("event").asText())
                .contains("job.started", "job.retrying", "job.succeeded");
        assertThat(worker).allSatisfy(line -> {
            assertThat(line.get("requestId").asText()).isNotBlank();
            assertThat(line.get("coldStart").isBoolean()).isTrue();
            assertThat(line.get("tenantId").asText()).isEqualTo("tenant-a");
            assertThat(line.get("type").asText()).isEqualTo("fail");
            assertThat(line.get("attempt").asInt()).isBetween(1, 2);
        });
        assertThat(worker.stream().map(l -> l.get("requestId").asText()).distinct().count())
                .as("two attempts, two invocations").isEqualTo(2);
        JsonNode submitted = lines.stream().filter(l -> l.get("event").asText().equals("job.submitted")).findFirst()
                .orElseThrow();
        assertThat(submitted.get("function").asText()).isEqualTo("ApiFunction");
        assertThat(submitted.get("requestId").asText()).isNotBlank();
    }
}
