package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.job.Job;
import io.jobway.job.JobSpec;
import io.jobway.local.LocalRuntime;
import io.jobway.queue.JobMessage;
import io.jobway.store.DynamoJobStore;
import java.time.Instant;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import java.nio.file.Path;
import java.time.Duration;
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
        return LocalRuntime.Options.inMemory(LocalJobway.templatePath()).withDataDir(dataDir);
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
        assertThat(othersCanReach(dataDir)).as("the data dir holds secrets: its owner's only").isEmpty();
    }

    /**
     * The directories under {@code root}, itself included, that give any permission to a user other than the
     * owner; a file is out of their reach when every directory above it is closed to them.
     */
    private static java.util.List<String> othersCanReach(Path root) {
        try (var paths = java.nio.file.Files.walk(root)) {
            return paths.filter(java.nio.file.Files::isDirectory).filter(p -> {
                try {
                    return !java.nio.file.Files.getPosixFilePermissions(p)
                            .equals(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).map(p -> "/" + root.relativize(p)).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void a_job_a_killed_run_was_running_runs_again_right_after_the_restart() throws InterruptedException {
        String id = "01a233f4-0000-7000-8000-00000000dead";
        try (LocalJobway before = LocalJobway.start(persistent())) {
            // what a run killed mid-job leaves: the job running under a 10-minute lease, its message hidden;
            // no worker of this run holds either
            LocalRuntime runtime = before.local("writes a job as a killed run leaves it");
            var store = new DynamoJobStore(runtime.dynamo(), runtime.resources().table("JobsTable").name(), null);
            Instant then = Instant.now();
            Job queued = Job.submit(id, "tenant-a", new JobSpec("echo", "{\"crashed\":true}", 3, 60, 0, null, null),
                    then);
            store.create(queued);
            store.save(queued, queued.claim("dead-worker", then, Duration.ofMinutes(10)));
            String queueUrl = runtime.resources().queue("JobsQueue").url();
            runtime.sqs().sendMessage(b -> b.queueUrl(queueUrl).messageBody(JobMessage.of(queued).toBody()));
            // this run's worker receives it, finds the live lease and hides the message until the lease ends
            Instant patience = Instant.now().plusSeconds(20);
            while (!"1".equals(runtime.sqs().getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes()
                    .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))) {
                assertThat(Instant.now()).as("the worker received the message").isBefore(patience);
                Thread.sleep(100);
            }
        }

        try (LocalJobway after = LocalJobway.start(persistent())) {
            JsonNode done = after.awaitStatus(id, "succeeded", Duration.ofSeconds(30));
            assertThat(done.get("attempt").asInt()).isEqualTo(2); // the killed run's attempt counts
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
