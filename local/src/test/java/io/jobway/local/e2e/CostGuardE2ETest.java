package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jobway.local.LocalRuntime;
import io.jobway.queue.JobMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cost budget of DESIGN.md, counted on the real calls: a small job spends, at submit, one write and one
 * send; in the worker, one claim and one completion write of one write unit each. Fails when a change adds
 * a call or makes an item or an index cost more.
 */
class CostGuardE2ETest {
    private static final AwsCallCounter API = new AwsCallCounter();
    /**
     * The worker's calls wait until the API has written the job's record: the happy path's order. The API enqueues
     * before it writes (DESIGN.md, guarantee 1), so a worker that is quick enough gets the message first, finds no
     * record, and hands the message back for a second look (a failed claim and a visibility change): the cost of
     * that race, not of a job.
     */
    private static final AwsCallCounter WORKER =
            new AwsCallCounter(() -> API.awaitAnswered("PutItem", Duration.ofSeconds(10)));
    private static final Map<String, AwsCallCounter> COUNTERS = Map.of("ApiFunction", API, "WorkerFunction", WORKER);
    private static LocalJobway jobway;

    /** A runtime of its own, so no other test's job runs through the counted functions (own queues on an emulator). */
    @BeforeAll
    static void start() {
        jobway = LocalJobway.start(LocalRuntime.Options.inMemory(LocalJobway.templatePath())
                .withStackName("jobway-costguard")
                .withInterceptors(name -> COUNTERS.containsKey(name) ? List.of(COUNTERS.get(name)) : List.of()));
    }

    @AfterAll
    static void stop() {
        if (jobway != null) {
            jobway.close();
        }
    }

    /** The calls each counted function made for one small job, submit to succeeded. */
    private record Spent(List<AwsCallCounter.Call> api, List<AwsCallCounter.Call> worker) {
    }

    private static Spent runOneSmallJob() {
        COUNTERS.values().forEach(AwsCallCounter::reset);
        String id = jobway.submit("{\"type\":\"echo\",\"payload\":{\"to\":\"ada@example.com\",\"template\":\"welcome\"}}");
        List<AwsCallCounter.Call> api = COUNTERS.get("ApiFunction").calls(); // before polling adds reads
        jobway.awaitStatus(id, "succeeded", Duration.ofSeconds(30));
        // the status can be read before the worker's invocation has returned; its message is deleted after that
        jobway.awaitEmptyJobsQueue();
        return new Spent(api, COUNTERS.get("WorkerFunction").calls());
    }

    @Test
    void a_small_job_costs_one_write_and_one_send_to_submit_and_its_batch_s_hold_and_two_writes_to_run() {
        Spent spent = runOneSmallJob();

        assertThat(spent.api()).extracting(AwsCallCounter.Call::operation).containsExactly("SendMessage", "PutItem");
        // the hold is one call per batch of up to 10 (JobRunner.holdUntil): a dead invocation's messages come back
        // after its timeout and a minute, not after the queue's 90 minutes
        assertThat(spent.worker()).extracting(AwsCallCounter.Call::operation)
                .containsExactly("ChangeMessageVisibilityBatch", "UpdateItem", "PutItem");
    }

    @Test
    void a_batch_of_100_small_jobs_costs_14_calls_to_submit_where_100_single_submits_cost_200() {
        COUNTERS.values().forEach(AwsCallCounter::reset);
        // due in 15 minutes, so that no worker takes them while the API's calls are counted
        String job = "{\"type\":\"echo\",\"payload\":{\"to\":\"ada@example.com\"},\"delaySeconds\":900}";
        String body = "{\"jobs\":[" + String.join(",", java.util.Collections.nCopies(100, job)) + "]}";

        LocalJobway.Response response = jobway.post("/v1/jobs/batch", LocalJobway.KEY_A, body);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("accepted").asInt()).isEqualTo(100);
        List<String> calls = API.calls().stream().map(AwsCallCounter.Call::operation).toList();
        assertThat(calls).filteredOn("SendMessageBatch"::equals).hasSize(10);
        assertThat(calls).filteredOn("BatchWriteItem"::equals).hasSize(4);
        assertThat(calls).as("0.14 calls a job, not 2").hasSize(14);
    }

    @Test
    void each_write_of_a_small_job_costs_one_unit_and_only_the_first_touches_an_index() {
        assumeTrue(E2eTarget.current() != E2eTarget.MOTO,
                "moto reports a fixed 1.0 unit per write and never an index's units: its numbers prove nothing");
        Spent spent = runOneSmallJob();

        AwsCallCounter.Call put = spent.api().get(1);
        assertThat(put.tableWriteUnits()).isEqualTo(1.0);
        // the tenant listing index: one keys-only entry, written once when the job is created
        assertThat(put.indexWriteUnits()).isEqualTo(1.0);
        assertThat(spent.worker().subList(1, 3)).allSatisfy(call -> {
            assertThat(call.tableWriteUnits()).isEqualTo(1.0);
            assertThat(call.indexWriteUnits()).isZero(); // a state change touches no index
        });
    }

    /**
     * SQS delivers at least once: a second copy of a finished job's message is dropped after its batch's hold and
     * one claim, which fails its condition. That failed write is still billed, so the guard counts it.
     */
    @Test
    void a_duplicate_delivery_of_a_finished_job_costs_its_hold_and_one_failed_claim_and_nothing_else() {
        COUNTERS.values().forEach(AwsCallCounter::reset);
        String id = jobway.submit("{\"type\":\"echo\",\"payload\":{}}");
        jobway.awaitStatus(id, "succeeded", Duration.ofSeconds(30));
        jobway.awaitEmptyJobsQueue();
        WORKER.reset();

        jobway.sqs().sendMessage(b -> b.queueUrl(jobway.queueUrl("JobsQueue"))
                .messageBody(new JobMessage(id, 60).toBody()));
        jobway.awaitEmptyJobsQueue();

        assertThat(WORKER.calls()).extracting(AwsCallCounter.Call::operation)
                .containsExactly("ChangeMessageVisibilityBatch", "UpdateItem");
        assertThat(WORKER.calls().get(1)).satisfies(call -> {
            assertThat(call.failed()).as("the claim's condition failed: the job is finished").isTrue();
            assertThat(call.tableWriteUnits()).as("billed all the same").isEqualTo(1.0);
        });
        assertThat(jobway.job(id).path("status").asText()).isEqualTo("succeeded");
    }
}
