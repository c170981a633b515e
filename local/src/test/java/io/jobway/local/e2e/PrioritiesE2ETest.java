package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.local.LocalRuntime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Priorities on a runtime of their own whose mappings run at the template's least concurrency (2 invocations of
 * 10 each): a backlog of 500 normal jobs of a second each takes about 25 s to drain.
 */
class PrioritiesE2ETest {
    private static LocalJobway jobway;

    @BeforeAll
    static void start() {
        jobway = LocalJobway.start(LocalRuntime.Options.inMemory(LocalJobway.templatePath())
                .withStackName("jobway-priorities")
                .withParameters(Map.of("WorkerMaximumConcurrency", "2", "WorkerHighMaximumConcurrency", "2",
                        "WorkerLowMaximumConcurrency", "2")));
    }

    @AfterAll
    static void stop() {
        if (jobway != null) {
            jobway.close();
        }
    }

    @Test
    void high_jobs_start_within_2_s_behind_500_normal_ones_and_low_jobs_run_meanwhile() {
        String normal = "{\"type\":\"sleep\",\"payload\":{\"ms\":1000}}";
        List<String> normals = new ArrayList<>();
        for (int batch = 0; batch < 5; batch++) {
            JsonNode answer = jobway.post("/v1/jobs/batch", LocalJobway.KEY_A,
                    "{\"jobs\":[" + String.join(",", Collections.nCopies(100, normal)) + "]}").json();
            assertThat(answer.get("accepted").asInt()).isEqualTo(100);
            answer.get("items").forEach(item -> normals.add(item.get("job").get("jobId").asText()));
        }
        List<String> lows = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            lows.add(jobway.submit("{\"type\":\"sleep\",\"payload\":{\"ms\":1000},\"priority\":\"low\"}"));
        }
        LocalJobway.pause(Duration.ofSeconds(2)); // the backlog is running, the queue still deep

        // one high job after another while the backlog drains: each met by a high poller that was idle, the case
        // where a message can beat its record to the worker
        List<Duration> waits = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String high = jobway.submit("{\"type\":\"echo\",\"payload\":{\"urgent\":true},\"priority\":\"high\"}");
            JsonNode done = jobway.awaitStatus(high, "succeeded", Duration.ofSeconds(20));
            assertThat(done.get("priority").asText()).isEqualTo("high");
            waits.add(Duration.between(Instant.parse(done.get("createdAt").asText()),
                    Instant.parse(done.get("startedAt").asText())));
            LocalJobway.pause(Duration.ofMillis(500));
        }
        assertThat(waits).as("from submit to start, each high job").allSatisfy(
                wait -> assertThat(wait).isLessThanOrEqualTo(Duration.ofSeconds(2)));
        for (String low : lows) {
            jobway.awaitStatus(low, "succeeded", Duration.ofSeconds(20));
        }
        // low jobs ran beside the backlog, not after it: one listing, read at once (500 reads would outlast it)
        JsonNode stillQueued = jobway.get("/v1/jobs?status=queued&limit=100", LocalJobway.KEY_A).json().get("items");
        assertThat(stillQueued).as("normal jobs still waiting when the last low one was done").isNotEmpty()
                .allSatisfy(job -> assertThat(normals).contains(job.get("jobId").asText()));
    }
}
