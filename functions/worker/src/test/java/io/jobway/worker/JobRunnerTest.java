package io.jobway.worker;

import static io.jobway.fixtures.Jobs.aQueuedJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobway.fixtures.ForwardingJobQueue;
import io.jobway.store.ForwardingJobStore;
import io.jobway.fixtures.JobBuilder;
import io.jobway.fixtures.LogCapture;
import io.jobway.fixtures.TestClock;
import io.jobway.handler.JobHandlerRegistry;
import io.jobway.handler.PermanentJobFailure;
import io.jobway.job.Attempt;
import io.jobway.job.Backoff;
import io.jobway.job.Job;
import io.jobway.job.JobError;
import io.jobway.job.JobStatus;
import io.jobway.json.Json;
import io.jobway.events.SqsMessage;
import io.jobway.queue.InMemoryJobQueue;
import io.jobway.queue.JobMessage;
import io.jobway.queue.JobQueue;
import io.jobway.queue.ReceivedMessage;
import io.jobway.store.ClaimResult;
import io.jobway.store.ConcurrentJobModification;
import io.jobway.store.InMemoryJobStore;
import io.jobway.store.JobAlreadyExists;
import io.jobway.store.JobStore;
import io.jobway.worker.EventSourceMapping.Delivery;
import io.jobway.worker.builtin.EchoHandler;
import io.jobway.worker.builtin.FailHandler;
import io.jobway.worker.builtin.SleepHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JobRunnerTest {
    private static final Duration RETENTION = Duration.ofDays(30);

    private final TestClock clock = TestClock.startingNow();
    private final InMemoryJobStore store = new InMemoryJobStore();
    private final InMemoryJobQueue queue = new InMemoryJobQueue(clock);
    private final ObservedHandler counted = new ObservedHandler("count",
            context -> Json.object().put("ranOnAttempt", context.attempt()));
    private final ObservedHandler sleep = ObservedHandler.wrapping(new SleepHandler());
    /** Fails for good after a cancel was requested during its run, without looking at the request. */
    private final ObservedHandler cancelledThenFails = new ObservedHandler("cancelled-then-fails", context -> {
        requestCancelAsTheApiDoes(store.find(context.jobId()).orElseThrow());
        throw new PermanentJobFailure("the target rejected the request");
    });
    private final EventSourceMapping lambda = lambdaOver(store);

    // ------------------------------------------------------------------------------------------ happy path

    @Test
    void a_job_succeeds_and_its_message_is_deleted() {
        Job job = submit(aQueuedJob(clock.instant()).type("echo").payload("{\"orderId\":1042}"));

        Delivery delivery = lambda.deliver();

        assertThat(delivery.messages()).hasSize(1);
        assertThat(delivery.failedMessageIds()).isEmpty();
        Job done = stored(job);
        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.result()).isEqualTo("{\"orderId\":1042}");
        assertThat(done.attempt()).isEqualTo(1);
        assertThat(done.finishedAt()).isEqualTo(clock.instant());
        assertThat(done.leaseToken()).isNull();
        assertThat(queue.size()).isZero();
        assertThat(queue.deadLetterCount()).isZero();
    }

    // -------------------------------------------------------------------------------------------- retries

    @Test
    void fail_twice_with_three_attempts_ends_succeeded_on_attempt_3() {
        Job job = submit(aQueuedJob(clock.instant()).type("fail").payload("{\"times\":2}").maxAttempts(3));

        for (int attempt = 1; attempt <= 2; attempt++) {
            Delivery delivery = lambda.deliver();
            assertThat(delivery.failedMessageIds()).containsExactly(delivery.messageIdOf(job));
            Job retrying = stored(job);
            assertThat(retrying.status()).isEqualTo(JobStatus.RETRYING);
            assertThat(retrying.attempt()).isEqualTo(attempt);
            assertThat(retrying.lastError().message()).startsWith("failing on purpose: attempt " + attempt);
            assertThat(retrying.runAt()).isAfter(clock.instant());

            clock.set(retrying.runAt().minusMillis(1));
            assertThat(lambda.deliver().messages()).as("hidden until its retry time").isEmpty();
            clock.set(retrying.runAt());
        }
        Delivery last = lambda.deliver();

        assertThat(last.failedMessageIds()).isEmpty();
        Job done = stored(job);
        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.attempt()).isEqualTo(3);
        assertThat(done.result()).isEqualTo("{\"succeededOnAttempt\":3}");
        assertThat(queue.size()).isZero();
    }

    @Test
    void each_attempt_is_in_the_history_with_its_times_and_outcome_and_the_last_error_keeps_the_handlers_stack() {
        Job job = submit(aQueuedJob(clock.instant()).type("fail").payload("{\"times\":1}").maxAttempts(2));
        Instant first = clock.instant();
        lambda.deliver();
        Job retrying = stored(job);
        Instant second = retrying.runAt();
        clock.set(second);

        lambda.deliver();

        Job done = stored(job);
        assertThat(retrying.lastError().stack()).startsWith("java.lang.IllegalStateException: failing on purpose")
                .contains("\tat " + FailHandler.class.getName() + ".handle(");
        assertThat(done.attempts()).containsExactly(
                new Attempt(1, first, first, Attempt.Outcome.FAILED, "IllegalStateException",
                        "failing on purpose: attempt 1 of 1 planned failures"),
                new Attempt(2, second, second, Attempt.Outcome.SUCCEEDED, null, null));
    }

    @Test
    void a_job_that_always_fails_is_dead_with_its_last_error_and_its_message_in_the_dlq() {
        Job job = submit(aQueuedJob(clock.instant()).type("fail").payload("{\"times\":-1}").maxAttempts(2));

        lambda.deliver();
        clock.set(stored(job).runAt());
        Delivery last = lambda.deliver();

        assertThat(last.failedMessageIds()).as("the worker moved it to the DLQ itself").isEmpty();
        Job dead = stored(job);
        assertThat(dead.status()).isEqualTo(JobStatus.DEAD);
        assertThat(dead.attempt()).isEqualTo(2);
        assertThat(dead.lastError().message()).isEqualTo("failing on purpose: attempt 2 of always failing");
        assertThat(dead.lastError().type()).isEqualTo("IllegalStateException");
        assertThat(deadLetterBodies()).containsExactly(JobMessage.of(job).toBody());
        assertThat(queue.size()).isZero();
    }

    @Test
    void a_sleep_longer_than_its_timeout_is_interrupted_and_retried_then_dead() throws Exception {
        Job job = submit(aQueuedJob(clock.instant()).type("sleep").payload("{\"ms\":5000}").timeoutSeconds(1)
                .maxAttempts(2));

        long start = System.nanoTime();
        Delivery first = lambda.deliver();
        Duration firstTook = Duration.ofNanos(System.nanoTime() - start);

        assertThat(firstTook).as("given up at 1 s, not waited for 5 s").isLessThan(Duration.ofSeconds(4));
        assertThat(sleep.awaitFirstEnd(Duration.ofSeconds(2))).as("the handler stopped too").isTrue();
        assertThat(sleep.firstFailure()).isInstanceOf(InterruptedException.class);
        assertThat(first.failedMessageIds()).containsExactly(first.messageIdOf(job));
        Job retrying = stored(job);
        assertThat(retrying.status()).isEqualTo(JobStatus.RETRYING);
        assertThat(retrying.lastError().type()).isEqualTo("JobTimeout");
        assertThat(retrying.lastError().message()).contains("did not finish within 1 s");

        clock.set(retrying.runAt());
        start = System.nanoTime();
        lambda.deliver();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        Job dead = stored(job);
        assertThat(dead.status()).isEqualTo(JobStatus.DEAD);
        assertThat(dead.lastError().type()).isEqualTo("JobTimeout");
        assertThat(dead.lastError().stack()).as("a timeout has no exception of its own").isNull();
        assertThat(dead.attempts()).extracting(Attempt::outcome)
                .containsExactly(Attempt.Outcome.TIMED_OUT, Attempt.Outcome.TIMED_OUT);
        assertThat(deadLetterBodies()).containsExactly(JobMessage.of(job).toBody());
    }

    @Test
    void a_result_over_64_KiB_fails_the_attempt_instead_of_being_stored() {
        String big = "\"" + "x".repeat(70_000) + "\"";
        Job job = submit(aQueuedJob(clock.instant()).type("echo").payload(big).maxAttempts(1));

        lambda.deliver();

        Job dead = stored(job);
        assertThat(dead.status()).isEqualTo(JobStatus.DEAD);
        assertThat(dead.result()).isNull();
        assertThat(dead.lastError().type()).isEqualTo("ResultTooLarge");
    }

    @Test
    void a_job_of_a_type_this_worker_cannot_run_is_dead_with_a_clear_error() {
        Job job = submit(aQueuedJob(clock.instant()).type("send-invoice"));

        Delivery delivery = lambda.deliver();

        assertThat(delivery.failedMessageIds()).isEmpty();
        Job dead = stored(job);
        assertThat(dead.status()).isEqualTo(JobStatus.DEAD);
        assertThat(dead.lastError().type()).isEqualTo("UnknownJobType");
        assertThat(dead.lastError().message()).contains("send-invoice").contains("echo");
        assertThat(deadLetterBodies()).containsExactly(JobMessage.of(job).toBody());
    }

    @Test
    void a_dead_letter_send_that_fails_once_is_sent_again_at_once_and_the_job_ends_dead_with_its_copy() {
        Job job = submit(aQueuedJob(clock.instant()).type("fail").payload("{\"times\":-1}").maxAttempts(1));

        Delivery delivery = lambdaOver(store, new DeadLetterSendFails(queue, 1)).deliver();

        assertThat(delivery.failedMessageIds()).isEmpty();
        assertThat(stored(job).status()).isEqualTo(JobStatus.DEAD);
        assertThat(stored(job).lastError().message()).startsWith("failing on purpose");
        assertThat(deadLetterBodies()).containsExactly(JobMessage.of(job).toBody());
    }

    @Test
    void a_dead_letter_queue_that_stays_down_leaves_the_job_unfinished_and_its_message_back_within_its_lease() {
        Job job = submit(aQueuedJob(clock.instant()).type("fail").payload("{\"times\":-1}").maxAttempts(1)
                .timeoutSeconds(10));
        EventSourceMapping dlqDown = lambdaOver(store, new DeadLetterSendFails(queue, JobRunner.OUTCOME_WRITE_TRIES));

        Delivery first = dlqDown.deliver();

        assertThat(first.failedMessageIds()).as("the message is kept").containsExactly(first.messageIdOf(job));
        assertThat(queue.deadLetterCount()).isZero();
        assertThat(stored(job).status()).as("no dead job without its copy in the DLQ").isNotEqualTo(JobStatus.DEAD);

        clock.advance(Duration.ofMillis(2_100));
        Delivery redelivered = dlqDown.deliver();
        assertThat(redelivered.messages()).as("back after the failed-message backoff, not the batch's hold")
                .hasSize(1);
        assertThat(stored(job).status()).as("its lease still stands").isEqualTo(JobStatus.RUNNING);

        clock.advance(Duration.between(clock.instant(), stored(job).leaseUntil()).plusSeconds(2));
        assertThat(dlqDown.deliver().messages()).as("back when the lease ends").hasSize(1);
        assertThat(stored(job).status()).isEqualTo(JobStatus.DEAD);
        assertThat(deadLetterBodies()).containsExactly(JobMessage.of(job).toBody());
        assertThat(queue.size()).isZero();
    }

    // ------------------------------------------------------------------------------ at-most-once completion

    @Test
    void a_duplicate_message_for_a_succeeded_job_is_dropped_without_running_the_handler() {
        Job job = submit(aQueuedJob(clock.instant()).type("count"));
        lambda.deliver();
        Job done = stored(job);

        queue.send(JobMessage.of(job), Duration.ZERO);
        Delivery duplicate = lambda.deliver();

        assertThat(duplicate.messages()).hasSize(1);
        assertThat(duplicate.failedMessageIds()).isEmpty();
        assertThat(counted.runs()).isEqualTo(1);
        assertThat(stored(job)).isEqualTo(done);
        assertThat(queue.size()).isZero();
    }

    @Test
    void a_message_for_a_job_running_under_a_live_lease_is_handed_back_until_the_lease_ends() {
        Job job = submit(aQueuedJob(clock.instant()).type("count"));
        ClaimResult.Claimed other = (ClaimResult.Claimed) store.claim(job.jobId(), "other-worker", clock.instant(),
                Duration.ofSeconds(60));

        Delivery delivery = lambda.deliver();

        assertThat(delivery.failedMessageIds()).containsExactly(delivery.messageIdOf(job));
        assertThat(counted.runs()).isZero();
        assertThat(stored(job)).isEqualTo(other.job());

        Instant leaseEnds = other.job().leaseUntil();
        clock.set(leaseEnds.minusMillis(1));
        assertThat(lambda.deliver().messages()).as("hidden while the lease lasts").isEmpty();
        clock.set(leaseEnds.plusSeconds(2));
        assertThat(lambda.receiveBatch()).as("back once the lease ended").hasSize(1);
    }

    @Test
    void an_outcome_that_loses_three_races_in_a_row_is_logged_and_its_message_released() {
        Job job = submit(aQueuedJob(clock.instant()).type("echo"));
        EventSourceMapping alwaysRacing = lambdaOver(new EverySaveConflicts(store), queue);

        String log = LogCapture.during(() -> {
            Delivery delivery = alwaysRacing.deliver();
            assertThat(delivery.failedMessageIds()).as("released, not deleted")
                    .containsExactly(delivery.messageIdOf(job));
        });

        Job current = stored(job);
        assertThat(current.status()).as("the outcome was not written").isEqualTo(JobStatus.RUNNING);
        assertThat(queue.size()).isEqualTo(1);
        com.fasterxml.jackson.databind.JsonNode dropped = log.lines().filter(l -> l.contains("job.outcome-dropped"))
                .map(io.jobway.json.Json::parse).findFirst().orElseThrow();
        assertThat(dropped.get("level").asText()).isEqualTo("WARN");
        assertThat(dropped.get("jobId").asText()).isEqualTo(job.jobId());
        assertThat(dropped.get("attempt").asInt()).isEqualTo(1);
        assertThat(dropped.get("outcome").asText()).isEqualTo("succeeded");
    }

    @Test
    void a_message_whose_lease_expired_is_claimed_again_and_completes_once() {
        Job job = submit(aQueuedJob(clock.instant()).type("count"));
        // A worker claimed the job, then its Lambda was killed: the lease runs out with nobody to finish it.
        store.claim(job.jobId(), "killed-worker", clock.instant(), Duration.ofSeconds(5));
        clock.advance(Duration.ofSeconds(6));

        Delivery delivery = lambda.deliver();

        assertThat(delivery.failedMessageIds()).isEmpty();
        Job done = stored(job);
        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.attempt()).isEqualTo(2);
        assertThat(done.result()).isEqualTo("{\"ranOnAttempt\":2}");
        assertThat(counted.runs()).isEqualTo(1);

        queue.send(JobMessage.of(job), Duration.ZERO);
        lambda.deliver();
        assertThat(counted.runs()).as("a late copy of the message does not run it again").isEqualTo(1);
    }

    // ----------------------------------------------------------------------------- messages without a job

    @ParameterizedTest
    @ValueSource(strings = {"not json", "{\"jobId\":\"not-a-uuid\",\"timeoutSeconds\":30}",
            "{\"jobId\":\"019ca944-2b58-7e25-b944-852039292d22\"}", "[]", ""})
    void a_poison_body_goes_to_the_dlq_and_is_deleted(String body) {
        Delivery delivery = lambda.invoke(List.of(EventSourceMapping.raw("poison-1", body, 1)));

        assertThat(delivery.failedMessageIds()).isEmpty();
        assertThat(deadLetterBodies()).containsExactly(body);
    }

    @Test
    void a_message_whose_record_never_appears_is_retried_then_tombstoned_and_moved_to_the_dlq_after_5_deliveries() {
        // The API enqueued the job, then failed before writing its record.
        Job neverWritten = aQueuedJob(clock.instant()).build();
        queue.send(JobMessage.of(neverWritten), Duration.ZERO);

        for (int delivery = 1; delivery <= 4; delivery++) {
            Delivery d = lambda.deliver();
            assertThat(d.messages()).as("delivery %d", delivery).hasSize(1);
            assertThat(d.failedMessageIds()).as("delivery %d", delivery).hasSize(1);
            Duration wait = Duration.ofSeconds(1L << delivery);
            clock.advance(wait.minusMillis(1));
            assertThat(lambda.deliver().messages()).as("waits %s after delivery %d", wait, delivery).isEmpty();
            clock.advance(Duration.ofMillis(1));
        }
        Delivery fifth = lambda.deliver();

        assertThat(fifth.messages()).hasSize(1);
        assertThat(fifth.failedMessageIds()).isEmpty();
        assertThat(queue.size()).isZero();
        assertThat(queue.receiveDeadLetters(10, Duration.ofMinutes(1))).singleElement().satisfies(copy -> {
            assertThat(copy.body()).isEqualTo(JobMessage.of(neverWritten).toBody());
            assertThat(copy.deadLetterReason()).as("the sweeper lists it as unclaimed").isEqualTo(JobError.RECORD_MISSING);
        });
        assertThat(store.find(neverWritten.jobId())).isEmpty();
        assertThatThrownBy(() -> store.create(neverWritten))
                .as("a record written this late fails, so no job exists without its message")
                .isInstanceOf(JobAlreadyExists.class);
    }

    @Test
    void a_message_whose_record_appears_late_runs_the_job() {
        Job job = aQueuedJob(clock.instant()).type("count").build();
        queue.send(JobMessage.of(job), Duration.ZERO);

        assertThat(lambda.deliver().failedMessageIds()).hasSize(1);
        store.create(job);
        clock.advance(Duration.ofSeconds(2));
        lambda.deliver();

        assertThat(stored(job).status()).isEqualTo(JobStatus.SUCCEEDED);
    }

    @Test
    void a_message_that_beats_its_record_by_a_moment_runs_on_its_first_delivery() {
        // The API sends the message, then writes the record: an idle queue can deliver the message in between.
        Job job = aQueuedJob(clock.instant()).type("count").build();
        queue.send(JobMessage.of(job), Duration.ZERO);
        EventSourceMapping racing = lambdaOver(new RecordLandsAfterFirstClaim(store, job));

        Delivery first = racing.deliver();

        assertThat(first.failedMessageIds()).as("not handed back for seconds").isEmpty();
        assertThat(stored(job).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(stored(job).attempt()).isEqualTo(1);
    }

    // ------------------------------------------------------------------------------------ time and cancel

    @Test
    void a_job_that_does_not_fit_in_the_lambdas_remaining_time_is_returned_without_a_claim() {
        Job job = submit(aQueuedJob(clock.instant()).type("count").timeoutSeconds(60));

        Delivery tooLate = lambda.deliver(Duration.ofSeconds(79));

        assertThat(tooLate.failedMessageIds()).containsExactly(tooLate.messageIdOf(job));
        assertThat(counted.runs()).isZero();
        assertThat(stored(job)).as("no attempt spent").isEqualTo(job);

        Delivery next = lambda.deliver(Duration.ofSeconds(81));
        assertThat(next.messages()).as("handed back at once").hasSize(1);
        assertThat(stored(job).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(stored(job).attempt()).isEqualTo(1);
    }

    @Test
    void a_cancel_requested_while_running_is_seen_by_the_handler_and_ends_the_job_cancelled() throws Exception {
        Job job = submit(aQueuedJob(clock.instant()).type("sleep").payload("{\"ms\":20000}").timeoutSeconds(60));
        CompletableFuture<Delivery> running = CompletableFuture.supplyAsync(lambda::deliver);
        assertThat(sleep.awaitFirstStart(Duration.ofSeconds(5))).isTrue();

        requestCancelAsTheApiDoes(job);
        clock.advance(Duration.ofSeconds(3));
        Delivery delivery = running.get(10, TimeUnit.SECONDS);

        assertThat(delivery.failedMessageIds()).isEmpty();
        Job cancelled = stored(job);
        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelled.result()).isNull();
        assertThat(queue.size()).isZero();
        assertThat(queue.deadLetterCount()).isZero();
    }

    @Test
    void a_job_that_fails_for_good_after_a_cancel_was_requested_ends_cancelled_with_nothing_in_the_dlq() {
        Job job = submit(aQueuedJob(clock.instant()).type("cancelled-then-fails"));

        Delivery delivery = lambda.deliver();

        assertThat(delivery.response().itemIdentifiers()).isEmpty();
        assertThat(stored(job).status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(queue.deadLetterCount()).isZero();
        assertThat(queue.size()).isZero();
    }

    // ------------------------------------------------------------------------------ partial batch response

    @Test
    void one_failing_message_does_not_fail_or_delete_its_neighbours() {
        Job first = submit(aQueuedJob(clock.instant()).type("echo"));
        Job failing = submit(aQueuedJob(clock.instant()).type("fail").payload("{\"times\":-1}").maxAttempts(3));
        Job last = submit(aQueuedJob(clock.instant()).type("echo"));
        List<SqsMessage> batch = new ArrayList<>(lambda.receiveBatch());
        batch.add(EventSourceMapping.raw("poison-1", "{oops", 1));

        Delivery delivery = lambda.invoke(batch);

        assertThat(delivery.failedMessageIds()).containsExactly(delivery.messageIdOf(failing));
        assertThat(stored(first).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(stored(last).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(stored(failing).status()).isEqualTo(JobStatus.RETRYING);
        assertThat(deadLetterBodies()).containsExactly("{oops");
        assertThat(queue.size()).as("only the failing job's message stays, for its retry").isEqualTo(1);
    }

    @Test
    void a_store_outage_for_one_message_hands_back_only_that_message() {
        Job healthy = submit(aQueuedJob(clock.instant()).type("echo"));
        Job unlucky = submit(aQueuedJob(clock.instant()).type("echo"));
        EventSourceMapping flaky = lambdaOver(new OutageFor(store, unlucky.jobId()));

        Delivery delivery = flaky.deliver();

        assertThat(delivery.failedMessageIds()).containsExactly(delivery.messageIdOf(unlucky));
        assertThat(stored(healthy).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(stored(unlucky)).isEqualTo(unlucky);
        assertThat(queue.size()).isEqualTo(1);
    }

    @Test
    void a_message_whose_handling_threw_comes_back_after_seconds_with_a_backoff_not_after_the_batchs_hold() {
        Job unlucky = submit(aQueuedJob(clock.instant()).type("echo"));
        EventSourceMapping flaky = lambdaOver(new OutageFor(store, unlucky.jobId()));

        assertThat(flaky.deliver().failedMessageIds()).hasSize(1);
        clock.advance(Duration.ofMillis(1_900));
        assertThat(flaky.receiveBatch()).as("hidden for 2 s after its first delivery").isEmpty();
        clock.advance(Duration.ofMillis(200));
        assertThat(flaky.deliver().failedMessageIds()).as("back and failing again").hasSize(1);
        clock.advance(Duration.ofMillis(3_900));
        assertThat(flaky.receiveBatch()).as("hidden for 4 s after its second").isEmpty();
        clock.advance(Duration.ofMillis(200));

        assertThat(lambda.deliver().failedMessageIds()).as("the store answers again: the job runs").isEmpty();
        assertThat(stored(unlucky).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(JobRunner.failedMessageBackoff(30)).isEqualTo(JobRunner.FAILED_MESSAGE_BACKOFF_CAP);
    }

    @Test
    void a_hand_back_whose_visibility_change_fails_comes_back_after_the_failed_message_backoff_not_the_hold() {
        Job job = submit(aQueuedJob(clock.instant()).type("fail").payload("{\"times\":1}").maxAttempts(3));
        EventSourceMapping handBackFailsOnce = lambdaOver(store, new HandBackFailsOnce(queue));

        Delivery first = handBackFailsOnce.deliver();

        assertThat(first.failedMessageIds()).containsExactly(first.messageIdOf(job));
        assertThat(stored(job).status()).isEqualTo(JobStatus.RETRYING);
        clock.advance(Duration.ofMillis(2_100));
        assertThat(handBackFailsOnce.receiveBatch()).as("visible 2 s later").hasSize(1);
    }

    /** The chaos soak's case: the claim's answer is lost, and then the first try at the backoff fails too. */
    @Test
    void a_message_whose_handling_threw_and_whose_first_backoff_failed_still_comes_back_after_seconds() {
        Job unlucky = submit(aQueuedJob(clock.instant()).type("echo"));
        EventSourceMapping flaky = lambdaOver(new OutageFor(store, unlucky.jobId()), new HandBackFailsOnce(queue));

        assertThat(flaky.deliver().failedMessageIds()).hasSize(1);
        clock.advance(Duration.ofMillis(2_100));

        assertThat(lambda.deliver().failedMessageIds()).as("back 2 s later, not after the hold").isEmpty();
        assertThat(stored(unlucky).status()).isEqualTo(JobStatus.SUCCEEDED);
    }

    @Test
    void a_worker_that_stalled_past_its_lease_after_the_claim_does_not_start_and_gives_the_attempt_back() {
        Job job = submit(aQueuedJob(clock.instant()).type("count").timeoutSeconds(10).maxAttempts(1));
        EventSourceMapping stalled = lambdaOver(new StallAfterClaim(store, clock, Duration.ofSeconds(41)));

        Delivery delivery = stalled.deliver();

        assertThat(delivery.failedMessageIds()).isEmpty();
        assertThat(counted.runs()).as("the handler never ran on the lapsed lease").isZero();
        Job given = stored(job);
        assertThat(given.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(given.attempt()).as("no attempt spent").isZero();

        clock.advance(Duration.ofSeconds(2));
        lambda.deliver();
        assertThat(stored(job).status()).as("its new message runs it").isEqualTo(JobStatus.SUCCEEDED);
        assertThat(counted.runs()).isEqualTo(1);
    }

    // -------------------------------------------------------------------------------------------- helpers

    private EventSourceMapping lambdaOver(JobStore jobStore) {
        return lambdaOver(jobStore, queue);
    }

    /** A worker over these ports; the event source mapping polls the in-memory queue underneath. */
    private EventSourceMapping lambdaOver(JobStore jobStore, JobQueue jobQueue) {
        JobRunner runner = new JobRunner(jobStore, jobQueue,
                JobHandlerRegistry.of(new EchoHandler(), new FailHandler(), sleep, counted, cancelledThenFails),
                new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(900)), RETENTION, clock);
        return new EventSourceMapping(queue, runner, clock);
    }

    /** As the API submits: message first, then the record. */
    private Job submit(JobBuilder builder) {
        Job job = builder.build();
        queue.send(JobMessage.of(job), Duration.ZERO);
        store.create(job);
        return job;
    }

    /** The API's cancel: re-read and try again when the running job wrote meanwhile (its progress). */
    private void requestCancelAsTheApiDoes(Job job) {
        for (int tries = 0; ; tries++) {
            Job current = stored(job);
            try {
                store.save(current, current.cancel(clock.instant(), RETENTION));
                return;
            } catch (ConcurrentJobModification e) {
                assertThat(tries).as("the job kept changing").isLessThan(10);
            }
        }
    }

    private Job stored(Job job) {
        return store.find(job.jobId()).orElseThrow();
    }

    private List<String> deadLetterBodies() {
        return queue.receiveDeadLetters(10, Duration.ofMinutes(1)).stream().map(ReceivedMessage::body).toList();
    }

    /** The dead-letter queue unreachable for its first {@code failures} sends; everything else passes through. */
    private static final class DeadLetterSendFails extends ForwardingJobQueue {
        private final AtomicInteger failuresLeft;

        DeadLetterSendFails(JobQueue delegate, int failures) {
            super(delegate);
            this.failuresLeft = new AtomicInteger(failures);
        }

        @Override
        public void sendToDeadLetter(String body, JobError reason) {
            if (failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("Unable to execute HTTP request: connect timed out");
            }
            super.sendToDeadLetter(body, reason);
        }
    }

    /** The first visibility change of one message fails; the batch's hold (a list of receipts) passes. */
    private static final class HandBackFailsOnce extends ForwardingJobQueue {
        private final AtomicBoolean failed = new AtomicBoolean();

        HandBackFailsOnce(JobQueue delegate) {
            super(delegate);
        }

        @Override
        public void changeVisibility(String receiptHandle, Duration duration) {
            if (failed.compareAndSet(false, true)) {
                throw new IllegalStateException("Unable to execute HTTP request: connect timed out");
            }
            super.changeVisibility(receiptHandle, duration);
        }
    }

    /** Someone else writes the job just before each of our writes: every save loses its race. */
    private static final class EverySaveConflicts extends ForwardingJobStore {
        EverySaveConflicts(JobStore delegate) {
            super(delegate);
        }

        @Override
        public Job save(Job before, Job after) {
            throw new ConcurrentJobModification(before.jobId(), before.version(), null);
        }
    }

    /** The API's write of a job's record lands just after the worker's first claim of it missed. */
    private static final class RecordLandsAfterFirstClaim extends ForwardingJobStore {
        private final Job job;
        private boolean missedOnce;

        RecordLandsAfterFirstClaim(JobStore delegate, Job job) {
            super(delegate);
            this.job = job;
        }

        @Override
        public synchronized ClaimResult claim(String jobId, String leaseToken, Instant now, Duration leaseFor) {
            ClaimResult result = super.claim(jobId, leaseToken, now, leaseFor);
            if (jobId.equals(job.jobId()) && !missedOnce && result instanceof ClaimResult.Missing) {
                missedOnce = true;
                super.create(job);
            }
            return result;
        }
    }

    /** DynamoDB unreachable for one job's claims; everything else passes through. */
    /** The worker freezes right after its claim is written, for {@code stall} on the test clock. */
    private static final class StallAfterClaim extends ForwardingJobStore {
        private final TestClock clock;
        private final Duration stall;

        StallAfterClaim(JobStore delegate, TestClock clock, Duration stall) {
            super(delegate);
            this.clock = clock;
            this.stall = stall;
        }

        @Override
        public ClaimResult claim(String jobId, String leaseToken, Instant now, Duration leaseFor) {
            ClaimResult result = super.claim(jobId, leaseToken, now, leaseFor);
            clock.advance(stall);
            return result;
        }
    }

    private static final class OutageFor extends ForwardingJobStore {
        private final String brokenJobId;

        OutageFor(JobStore delegate, String brokenJobId) {
            super(delegate);
            this.brokenJobId = brokenJobId;
        }

        @Override
        public ClaimResult claim(String jobId, String leaseToken, Instant now, Duration leaseFor) {
            if (jobId.equals(brokenJobId)) {
                throw new IllegalStateException("Unable to execute HTTP request: connect timed out");
            }
            return super.claim(jobId, leaseToken, now, leaseFor);
        }
    }
}
