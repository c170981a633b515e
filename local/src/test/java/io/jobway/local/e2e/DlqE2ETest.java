package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.job.Job;
import io.jobway.job.JobError;
import io.jobway.job.JobSpec;
import io.jobway.local.LocalRuntime;
import io.jobway.queue.JobMessage;
import io.jobway.queue.SqsJobQueue;
import io.jobway.store.DynamoJobStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The dead-letter workflow on a runtime and a stack of its own for each test, so that its dead-letter queue holds
 * only that test's messages (a console redrive moves them all).
 */
class DlqE2ETest {
    private LocalJobway jobway;
    private LocalRuntime runtime;

    @BeforeEach
    void start() {
        // a stack of its own for each test: on moto and LocalStack, queues and tables outlive a runtime
        String stack = "jobway-dlq-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        jobway = LocalJobway.start(LocalRuntime.Options.inMemory(LocalJobway.templatePath()).withStackName(stack));
        runtime = jobway.local("writes dead jobs as a worker leaves them");
    }

    @AfterEach
    void stop() {
        jobway.close();
    }

    @Test
    void dead_jobs_are_listed_with_their_last_error_and_filtered_by_type_error_and_time() {
        String dead = jobway.submit("{\"type\":\"fail\",\"payload\":{\"times\":-1},\"maxAttempts\":2}");
        jobway.awaitStatus(dead, "dead", Duration.ofSeconds(30));
        Instant before = Instant.now().minusSeconds(60);

        JsonNode item = dlq("").get(0);
        assertThat(item.get("jobId").asText()).isEqualTo(dead);
        assertThat(item.get("attempt").asInt()).isEqualTo(2);
        String errorType = item.get("error").get("type").asText();
        assertThat(item.get("error").get("message").asText()).contains("always failing");
        assertThat(item.get("deadForSeconds").asLong()).isBetween(0L, 30L);

        assertThat(dlq("?errorType=" + errorType).findValuesAsText("jobId")).containsExactly(dead);
        assertThat(dlq("?errorType=SomethingElse")).isEmpty();
        assertThat(dlq("?type=echo")).isEmpty();
        assertThat(dlq("?since=" + before)).hasSize(1);
        assertThat(dlq("?until=" + before)).isEmpty();
        assertThat(jobway.get("/v1/dlq", LocalJobway.KEY_B).json().get("items")).as("another tenant's").isEmpty();
        assertThat(jobway.get("/v1/dlq?since=yesterday", LocalJobway.KEY_A).status()).isEqualTo(400);
    }

    @Test
    void a_purge_deletes_the_jobs_dead_longer_than_asked_and_the_sweeper_then_drops_their_copies() {
        String dead = jobway.submit("{\"type\":\"fail\",\"payload\":{\"times\":-1},\"maxAttempts\":1}");
        jobway.awaitStatus(dead, "dead", Duration.ofSeconds(30));
        jobway.deadLetterOf(dead, Duration.ofSeconds(10));

        assertThat(purge("{\"olderThanDays\":1}").get("purged").asInt()).as("dead for seconds only").isZero();
        assertThat(purge("{\"olderThanDays\":0}").get("purged").asInt()).isOne();

        assertThat(dlq("")).isEmpty();
        assertThat(jobway.get("/v1/jobs/" + dead, LocalJobway.KEY_A).status()).isEqualTo(404);
        runtime.fireSchedules();
        assertThat(deadLetterDepth()).isZero();
        assertThat(jobway.post("/v1/dlq/purge", LocalJobway.KEY_A, "{\"olderThanDays\":-1}").status()).isEqualTo(400);
        // past an int: once read as 30 days (schemathesis found it)
        assertThat(jobway.post("/v1/dlq/purge", LocalJobway.KEY_A, "{\"olderThanDays\":4294967326}").status())
                .isEqualTo(400);
    }

    @Test
    void a_redrive_by_id_skips_a_job_that_is_not_dead_and_leaves_it_as_it_was() {
        String id = jobway.submit("{\"type\":\"echo\",\"delaySeconds\":600}");
        assertThat(jobway.post("/v1/jobs/" + id + "/cancel", LocalJobway.KEY_A, "{}").status()).isEqualTo(200);

        JsonNode answer = jobway.post("/v1/dlq/redrive", LocalJobway.KEY_A, "{\"jobIds\":[\"" + id + "\"]}").json();

        assertThat(answer.get("redriven")).isEmpty();
        assertThat(answer.get("skipped").get(0).get("jobId").asText()).isEqualTo(id);
        assertThat(answer.get("skipped").get(0).get("reason").asText()).isEqualTo("not dead: cancelled");
        assertThat(jobway.get("/v1/jobs/" + id, LocalJobway.KEY_A).json().get("status").asText()).isEqualTo("cancelled");
    }

    private JsonNode purge(String body) {
        return jobway.post("/v1/dlq/purge", LocalJobway.KEY_A, body).json();
    }

    @Test
    void a_redrive_revives_each_job_once_even_when_two_run_at_once_and_its_dlq_copy_is_removed() throws Exception {
        List<String> ids = List.of(deadEchoJob(), deadEchoJob());
        LocalJobway.pause(Duration.ofMillis(1_500)); // the revival comes well after the copies were made
        String body = "{\"jobIds\":[\"" + String.join("\",\"", ids) + "\"]}";

        var first = CompletableFuture.supplyAsync(() -> jobway.post("/v1/dlq/redrive", LocalJobway.KEY_A, body));
        var second = CompletableFuture.supplyAsync(() -> jobway.post("/v1/dlq/redrive", LocalJobway.KEY_A, body));
        List<String> redriven = new ArrayList<>();
        first.get().json().get("redriven").forEach(n -> redriven.add(n.asText()));
        second.get().json().get("redriven").forEach(n -> redriven.add(n.asText()));

        assertThat(redriven).containsExactlyInAnyOrderElementsOf(ids);
        for (String id : ids) {
            JsonNode done = jobway.awaitStatus(id, "succeeded", Duration.ofSeconds(30));
            assertThat(done.get("attempt").asInt()).as("a fresh attempt budget").isOne();
        }
        assertThat(jobway.post("/v1/dlq/redrive", LocalJobway.KEY_A, body).json().get("skipped"))
                .as("a repeated call").hasSize(2);
        runtime.fireSchedules(); // the sweeper finds the copies stale
        assertThat(deadLetterDepth()).isZero();
    }

    @Test
    void a_console_redrive_revives_the_jobs_it_moves_and_a_plain_duplicate_of_a_dead_job_still_runs_nothing() {
        String moved = deadEchoJob();
        String duplicated = deadEchoJob();
        Message copy = jobway.deadLetterOf(duplicated, Duration.ofSeconds(10));
        jobway.removeDeadLetterOf(duplicated, Duration.ofSeconds(10));
        // an old message of the job, as a late duplicate delivery brings it: the same body, no dead-letter marker
        jobway.sqs().sendMessage(b -> b.queueUrl(queueUrl("JobsQueue")).messageBody(copy.body()));

        try {
            // what the SQS console's "start DLQ redrive" does, to the jobs queue as its destination
            jobway.sqs().startMessageMoveTask(b -> b.sourceArn(queueArn("JobsDeadLetterQueue"))
                    .destinationArn(queueArn("JobsQueue")));
        } catch (software.amazon.awssdk.services.sqs.model.SqsException e) {
            assumeTrue(false, "this emulator has no StartMessageMoveTask: " + e.getMessage());
        }

        JsonNode revived = jobway.awaitStatus(moved, "succeeded", Duration.ofSeconds(30));
        assertThat(revived.get("attempt").asInt()).isOne();
        LocalJobway.pause(Duration.ofSeconds(2));
        assertThat(jobway.job(duplicated).get("status").asText()).isEqualTo("dead");
        assertThat(jobway.messagesVisibleOrInFlight()).as("the duplicate was dropped").isZero();
    }

    @Test
    void messages_that_never_had_a_job_are_listed_with_the_reason_to_the_tenant_they_name_or_to_admins() {
        // a body no job message has: the worker moves it to the DLQ at once
        jobway.sqs().sendMessage(b -> b.queueUrl(queueUrl("JobsQueue")).messageBody("{\"jobId\": 42"));
        // messages of tenant-a whose record never appeared, as SQS's redrive policy moves them: no marker
        List<String> neverWritten = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Job job = Job.submit(io.jobway.fixtures.Jobs.newJobId(), "tenant-a",
                    new JobSpec("echo", "{}", 1, 60, 0, null, null), Instant.now());
            jobway.sqs().sendMessage(b -> b.queueUrl(queueUrl("JobsDeadLetterQueue"))
                    .messageBody(JobMessage.of(job).toBody()));
            neverWritten.add(job.jobId());
        }
        Instant until = Instant.now().plusSeconds(10);
        while (deadLetterDepth() < 3 && Instant.now().isBefore(until)) {
            LocalJobway.pause(Duration.ofMillis(100));
        }

        runtime.fireSchedules();

        JsonNode first = jobway.get("/v1/dlq/unclaimed?limit=1", LocalJobway.KEY_A).json();
        JsonNode second = jobway.get("/v1/dlq/unclaimed?limit=1&cursor=" + first.get("nextCursor").asText(),
                LocalJobway.KEY_A).json();
        List<JsonNode> mine = new ArrayList<>();
        first.get("items").forEach(mine::add);
        second.get("items").forEach(mine::add);
        assertThat(mine).extracting(item -> item.get("jobId").asText())
                .as("newest first, a page each").containsExactlyElementsOf(neverWritten.reversed());
        assertThat(mine).allSatisfy(item -> assertThat(item.get("reason").asText()).isEqualTo("record-never-appeared"));
        assertThat(jobway.get("/v1/dlq/unclaimed", LocalJobway.KEY_B).json().get("items")).as("another tenant's").isEmpty();

        String jobsOnly = "jw_jobsonlyA_" + "secretsecretsecretsecret";
        runtime.registerKey(jobsOnly, "tenant-a", io.jobway.auth.Scopes.DEFAULT);
        assertThat(jobway.get("/v1/dlq/unclaimed?unattributed=true", jobsOnly).status())
                .as("without the admin scope").isEqualTo(403);
        String admin = "jw_adminA_" + "secretsecretsecretsecret";
        runtime.registerKey(admin, "tenant-a", java.util.Set.of(io.jobway.auth.Scopes.ADMIN));
        JsonNode unattributed = jobway.get("/v1/dlq/unclaimed?unattributed=true", admin).json().get("items");
        assertThat(unattributed).singleElement().satisfies(item -> {
            assertThat(item.get("reason").asText()).isEqualTo("unparseable-body");
            assertThat(item.get("body").asText()).isEqualTo("{\"jobId\": 42");
        });
        runtime.fireSchedules();
        assertThat(deadLetterDepth()).as("kept in the DLQ, and noted once").isEqualTo(3);
        assertThat(jobway.get("/v1/dlq/unclaimed", LocalJobway.KEY_A).json().get("items")).hasSize(2);
        assertThat(jobway.get("/v1/dlq/unclaimed?cursor=nope", LocalJobway.KEY_A).status()).isEqualTo(400);
    }

    /** A dead echo job as a worker leaves it: the record dead, its message's copy in the DLQ with the marker. */
    private String deadEchoJob() {
        var store = new DynamoJobStore(runtime.dynamo(), runtime.resources().table("JobsTable").name(), null);
        var queue = new SqsJobQueue(runtime.sqs(), queueUrl("JobsQueue"), queueUrl("JobsDeadLetterQueue"));
        Instant now = Instant.now();
        Job queued = Job.submit(io.jobway.fixtures.Jobs.newJobId(), "tenant-a",
                new JobSpec("echo", "{\"revived\":true}", 1, 60, 0, null, null), now);
        store.create(queued);
        Job running = store.save(queued, queued.claim("worker", now, Duration.ofMinutes(2)));
        JobError error = new JobError("the mail server refused", "SmtpException", now);
        queue.sendToDeadLetter(JobMessage.of(running).toBody(), error);
        store.save(running, running.die(error, now, Duration.ofDays(30)));
        return queued.jobId();
    }

    private JsonNode dlq(String query) {
        return jobway.get("/v1/dlq" + query, LocalJobway.KEY_A).json().get("items");
    }

    private int deadLetterDepth() {
        var attributes = jobway.sqs().getQueueAttributes(b -> b.queueUrl(queueUrl("JobsDeadLetterQueue")).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return attributes.values().stream().mapToInt(Integer::parseInt).sum();
    }

    private String queueUrl(String logicalId) {
        return runtime.resources().queue(logicalId).url();
    }

    private String queueArn(String logicalId) {
        return runtime.resources().queue(logicalId).arn();
    }
}
