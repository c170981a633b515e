package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.fixtures.JobBuilder;
import io.jobway.job.Job;
import io.jobway.job.JobStatus;
import io.jobway.queue.JobMessage;
import io.jobway.store.DynamoJobStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Jobs through the HTTP API on the local runtime, from submit to their final state. */
class JobLifecycleE2ETest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final LocalJobway jobway = LocalJobway.shared();

    @Test
    void an_echo_job_succeeds_with_its_payload_as_result() {
        LocalJobway.Response submitted = jobway.post("/v1/jobs", LocalJobway.KEY_A,
                "{\"type\":\"echo\",\"payload\":{\"hello\":\"world\"}}");

        assertThat(submitted.status()).isEqualTo(202);
        String id = submitted.json().get("jobId").asText();
        assertThat(submitted.header("location")).isEqualTo("/v1/jobs/" + id);
        JsonNode done = jobway.awaitStatus(id, "succeeded", WAIT);
        assertThat(done.get("result").get("hello").asText()).isEqualTo("world");
        assertThat(done.get("attempt").asInt()).isEqualTo(1);
        assertThat(done.get("finishedAt").isNull()).isFalse();
    }

    @Test
    void a_running_job_shows_its_progress_and_ends_at_100_percent() {
        String id = jobway.submit("{\"type\":\"sleep\",\"payload\":{\"ms\":3000}}");

        JsonNode midway = jobway.awaitJob(id, j -> j.get("status").asText().equals("running")
                && !j.get("progress").isNull() && j.get("progress").get("percent").asInt() > 0, WAIT);
        JsonNode done = jobway.awaitStatus(id, "succeeded", WAIT);

        assertThat(midway.get("progress").get("percent").asInt()).isBetween(1, 99);
        assertThat(midway.get("progress").get("message").asText()).startsWith("slept ");
        assertThat(done.get("progress").get("percent").asInt()).isEqualTo(100);
    }

    @Test
    void a_job_failing_twice_succeeds_on_attempt_3() {
        String id = jobway.submit("{\"type\":\"fail\",\"payload\":{\"times\":2},\"maxAttempts\":3}");

        JsonNode done = jobway.awaitStatus(id, "succeeded", WAIT);

        assertThat(done.get("attempt").asInt()).isEqualTo(3);
        assertThat(done.get("result").get("succeededOnAttempt").asInt()).isEqualTo(3);
    }

    @Test
    void a_job_that_always_fails_is_dead_with_its_error_and_its_message_is_in_the_DLQ() {
        try (var sweepsHeld = jobway.holdingSweeps()) {
            String id = jobway.submit("{\"type\":\"fail\",\"payload\":{\"times\":-1},\"maxAttempts\":2}");

            JsonNode dead = jobway.awaitStatus(id, "dead", WAIT);

            assertThat(dead.get("attempt").asInt()).isEqualTo(2);
            assertThat(dead.get("error").get("message").asText()).contains("failing on purpose: attempt 2");
            assertThat(dead.get("error").get("type").asText()).isEqualTo("IllegalStateException");
            assertThat(jobway.deadLetterOf(id, WAIT).messageAttributes().get("errorType").stringValue())
                    .isEqualTo("IllegalStateException");
        }
    }

    @Test
    void a_job_slower_than_its_timeout_is_interrupted_retried_and_then_dead() {
        String id = jobway.submit("{\"type\":\"sleep\",\"payload\":{\"ms\":5000},\"timeoutSeconds\":1,\"maxAttempts\":2}");

        JsonNode dead = jobway.awaitStatus(id, "dead", WAIT);

        assertThat(dead.get("attempt").asInt()).isEqualTo(2);
        assertThat(dead.get("error").get("type").asText()).isEqualTo("JobTimeout");
    }

    @Test
    void a_job_cancelled_before_it_runs_never_runs() {
        String id = jobway.submit("{\"type\":\"echo\",\"payload\":{},\"delaySeconds\":2}");

        LocalJobway.Response cancelled = jobway.post("/v1/jobs/" + id + "/cancel", LocalJobway.KEY_A, null);

        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().get("status").asText()).isEqualTo("cancelled");
        LocalJobway.pause(Duration.ofSeconds(4)); // past the delay: the message was delivered and dropped
        JsonNode job = jobway.job(id);
        assertThat(job.get("status").asText()).isEqualTo("cancelled");
        assertThat(job.get("attempt").asInt()).isZero();
        assertThat(job.get("startedAt").isNull()).isTrue();
    }

    @Test
    void a_running_job_sees_its_cancel_and_ends_cancelled() {
        String id = jobway.submit("{\"type\":\"sleep\",\"payload\":{\"ms\":20000},\"timeoutSeconds\":60}");
        jobway.awaitStatus(id, "running", WAIT);

        LocalJobway.Response requested = jobway.post("/v1/jobs/" + id + "/cancel", LocalJobway.KEY_A, null);

        assertThat(requested.status()).isEqualTo(202);
        assertThat(requested.json().get("cancelRequested").asBoolean()).isTrue();
        JsonNode cancelled = jobway.awaitStatus(id, "cancelled", Duration.ofSeconds(10));
        assertThat(cancelled.get("result").isNull()).isTrue();
    }

    @Test
    void the_same_idempotency_key_returns_the_original_job_and_enqueues_nothing_more() {
        String body = "{\"type\":\"echo\",\"payload\":{\"order\":42}}";
        Map<String, String> key = Map.of("Idempotency-Key", "order-42-" + System.nanoTime());

        LocalJobway.Response first = jobway.post("/v1/jobs", LocalJobway.KEY_A, body, key);
        LocalJobway.Response again = jobway.post("/v1/jobs", LocalJobway.KEY_A, body, key);
        LocalJobway.Response different = jobway.post("/v1/jobs", LocalJobway.KEY_A,
                "{\"type\":\"echo\",\"payload\":{\"order\":43}}", key);

        assertThat(first.status()).isEqualTo(202);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.header("idempotent-replayed")).isEqualTo("true");
        assertThat(again.json().get("jobId").asText()).isEqualTo(first.json().get("jobId").asText());
        assertThat(different.status()).isEqualTo(422);
        assertThat(different.header("content-type")).isEqualTo("application/problem+json");
    }

    @Test
    void a_duplicate_message_for_a_finished_job_does_not_run_it_again() {
        String id = jobway.submit("{\"type\":\"echo\",\"payload\":{\"n\":1}}");
        JsonNode done = jobway.awaitStatus(id, "succeeded", WAIT);

        jobway.sqs().sendMessage(b -> b.queueUrl(jobway.queueUrl("JobsQueue"))
                .messageBody(new JobMessage(id, 60).toBody()));
        jobway.awaitEmptyJobsQueue();

        JsonNode after = jobway.job(id);
        assertThat(after.get("attempt").asInt()).isEqualTo(1);
        assertThat(after.get("updatedAt").asText()).isEqualTo(done.get("updatedAt").asText());
    }

    @Test
    void a_job_whose_worker_died_is_retried_when_its_lease_expires_and_completes_once() {
        String id = jobway.submit("{\"type\":\"echo\",\"payload\":{\"n\":2},\"delaySeconds\":900}");
        DynamoJobStore store = new DynamoJobStore(jobway.dynamo(),
                jobway.tableName("JobsTable"), null);
        // A worker claimed attempt 1 a minute ago and died: its lease ran out, its message came back.
        Job queued = store.find(id).orElseThrow();
        Job crashed = JobBuilder.from(queued).status(JobStatus.RUNNING).attempt(1).leaseToken("dead-worker")
                .leaseUntil(Instant.now().minusSeconds(1)).startedAt(Instant.now().minusSeconds(60))
                .runAt(Instant.now().minusSeconds(60)).version(queued.version() + 1).build();
        store.save(queued, crashed);
        jobway.sqs().sendMessage(b -> b.queueUrl(jobway.queueUrl("JobsQueue"))
                .messageBody(JobMessage.of(crashed).toBody()));

        JsonNode done = jobway.awaitStatus(id, "succeeded", WAIT);

        assertThat(done.get("attempt").asInt()).isEqualTo(2);
        assertThat(done.get("result").get("n").asInt()).isEqualTo(2);
    }

    @Test
    void retrying_a_dead_job_runs_it_again_with_a_fresh_attempt_budget() {
        String id = jobway.submit("{\"type\":\"fail\",\"payload\":{\"times\":1},\"maxAttempts\":1}");
        jobway.awaitStatus(id, "dead", WAIT);

        LocalJobway.Response retried = jobway.post("/v1/jobs/" + id + "/retry", LocalJobway.KEY_A, null);

        assertThat(retried.status()).isEqualTo(202);
        assertThat(retried.json().get("status").asText()).isEqualTo("queued");
        assertThat(retried.json().get("attempt").asInt()).isZero();
        // fail {times:1} fails attempt 1 again: with maxAttempts 1 it is dead again, having run once more
        JsonNode deadAgain = jobway.awaitJob(id, j -> j.get("status").asText().equals("dead")
                && !j.get("finishedAt").asText().equals(retried.json().get("finishedAt").asText()), WAIT);
        assertThat(deadAgain.get("attempt").asInt()).isEqualTo(1);
    }

    @Test
    void the_sweeper_resends_a_requeued_job_whose_message_was_lost() {
        try (var sweepsHeld = jobway.holdingSweeps()) {
            resendsARequeuedJob();
        }
    }

    private void resendsARequeuedJob() {
        String id = jobway.submit("{\"type\":\"fail\",\"payload\":{\"times\":-1},\"maxAttempts\":1}");
        jobway.awaitStatus(id, "dead", WAIT);
        // the job's dead letter would be re-sent too (its job is unfinished again): only the due index must act
        jobway.removeDeadLetterOf(id, WAIT);
        DynamoJobStore store = new DynamoJobStore(jobway.dynamo(),
                jobway.tableName("JobsTable"), null);
        // an operator's retry recorded "queued" and crashed before sending: the job sits in the due index
        Job dead = store.find(id).orElseThrow();
        store.save(dead, dead.requeue(Instant.now(), Instant.now().minusSeconds(1)));

        jobway.local("the test fires the sweeper's schedule itself").fireSchedules();

        JsonNode ranAgain = jobway.awaitJob(id, j -> j.get("status").asText().equals("dead")
                && j.get("attempt").asInt() == 1 && !j.get("finishedAt").asText().equals(
                dead.finishedAt().toString()), WAIT);
        assertThat(ranAgain.get("error").get("message").asText()).contains("failing on purpose");
    }

    @Test
    void a_tenant_cannot_see_or_touch_another_tenants_job() {
        String id = jobway.submit("{\"type\":\"echo\",\"payload\":{\"secret\":true}}");

        LocalJobway.Response seen = jobway.get("/v1/jobs/" + id, LocalJobway.KEY_B);
        LocalJobway.Response missing = jobway.get("/v1/jobs/" + "01a20000-0000-7000-8000-000000000000",
                LocalJobway.KEY_B);
        LocalJobway.Response cancel = jobway.post("/v1/jobs/" + id + "/cancel", LocalJobway.KEY_B, null);
        LocalJobway.Response list = jobway.get("/v1/jobs?limit=100", LocalJobway.KEY_B);

        assertThat(seen.status()).isEqualTo(404);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(seen.json().get("title")).isEqualTo(missing.json().get("title"));
        assertThat(cancel.status()).isEqualTo(404);
        assertThat(list.json().get("items").findValuesAsText("jobId")).doesNotContain(id);
    }

    @Test
    void listing_is_newest_first_and_pages_with_a_cursor() {
        String first = jobway.submit("{\"type\":\"echo\",\"payload\":{\"page\":1}}");
        String second = jobway.submit("{\"type\":\"echo\",\"payload\":{\"page\":2}}");
        String third = jobway.submit("{\"type\":\"echo\",\"payload\":{\"page\":3}}");

        JsonNode page1 = jobway.get("/v1/jobs?limit=2", LocalJobway.KEY_A).json();
        JsonNode page2 = jobway.get("/v1/jobs?limit=2&cursor=" + page1.get("nextCursor").asText(),
                LocalJobway.KEY_A).json();

        assertThat(page1.get("items").findValuesAsText("jobId")).containsExactly(third, second);
        assertThat(page2.get("items").get(0).get("jobId").asText()).isEqualTo(first);
    }

    @Test
    void health_answers_without_a_key_and_reports_its_dependencies() {
        LocalJobway.Response health = jobway.get("/v1/health", null);

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("dependencies").get("jobsTable").get("status").asText()).isEqualTo("ok");
        assertThat(health.json().get("dependencies").get("jobsQueue").get("status").asText()).isEqualTo("ok");
    }

    @Test
    void requests_without_a_valid_key_are_refused() {
        assertThat(jobway.get("/v1/jobs", null).status()).isEqualTo(401);
        assertThat(jobway.get("/v1/jobs", "jw_nope_nope").status()).isEqualTo(403);
    }
}
