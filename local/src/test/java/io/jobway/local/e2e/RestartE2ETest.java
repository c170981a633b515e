package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.local.LocalRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local runtime keeps its data across a restart and stops without losing a job. Embedded emulators only: the
 * data directory is theirs (moto and LocalStack keep their data in their own process, which outlives the runtime).
 */
@DisabledIfSystemProperty(named = E2eTarget.PROPERTY, matches = "(?i)moto|localstack|aws",
        disabledReason = "restarts the embedded emulators on their data directory; other targets keep no data here")
class RestartE2ETest {
    @TempDir
    Path dataDir;

    private LocalRuntime.Options persistent() {
        return new LocalRuntime.Options(LocalJobway.templatePath(), dataDir, 0, 0, 0, 0, name -> List.of(),
                java.util.Map.of(), java.util.Map.of(), "jobway-local");
    }

    @Test
    void a_job_accepted_before_a_restart_is_still_there_and_runs_after_it() {
        String id;
        try (LocalJobway before = LocalJobway.start(persistent())) {
            id = before.submit("{\"type\":\"echo\",\"payload\":{\"survives\":true},\"delaySeconds\":3}");
        }

        try (LocalJobway after = LocalJobway.start(persistent())) {
            JsonNode done = after.awaitStatus(id, "succeeded", Duration.ofSeconds(30));
            assertThat(done.get("result").get("survives").asBoolean()).isTrue();
            assertThat(done.get("attempt").asInt()).isEqualTo(1);
        }
    }

    @Test
    void stopping_lets_a_running_job_finish() {
        String id;
        try (LocalJobway jobway = LocalJobway.start(persistent())) {
            id = jobway.submit("{\"type\":\"sleep\",\"payload\":{\"ms\":2000}}");
            jobway.awaitStatus(id, "running", Duration.ofSeconds(20));
        } // close() waits for the invocation in progress

        try (LocalJobway again = LocalJobway.start(persistent())) {
            JsonNode job = again.job(id);
            assertThat(job.get("status").asText()).isEqualTo("succeeded");
            assertThat(job.get("attempt").asInt()).isEqualTo(1);
        }
    }
}
