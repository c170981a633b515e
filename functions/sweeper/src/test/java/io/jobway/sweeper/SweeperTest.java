package io.jobway.sweeper;

import static io.jobway.fixtures.Jobs.aDeadJob;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobway.dlq.InMemoryUnclaimedDeadLetters;
import io.jobway.dlq.UnclaimedDeadLetter;
import io.jobway.fixtures.FakeLambdaContext;
import io.jobway.fixtures.Jobs;
import io.jobway.fixtures.LambdaEvents;
import io.jobway.fixtures.TestClock;
import io.jobway.job.Job;
import io.jobway.job.JobError;
import io.jobway.job.JobSpec;
import io.jobway.job.JobStatus;
import io.jobway.json.Json;
import io.jobway.queue.InMemoryJobQueue;
import io.jobway.queue.JobMessage;
import io.jobway.queue.ReceivedMessage;
import io.jobway.store.InMemoryJobStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SweeperTest {
    private final TestClock clock = TestClock.startingNow();
    private final InMemoryJobStore store = new InMemoryJobStore();
    private final InMemoryJobQueue queue = new InMemoryJobQueue(clock);
    private final InMemoryUnclaimedDeadLetters unclaimed = new InMemoryUnclaimedDeadLetters();
    private final Sweeper sweeper = new Sweeper(store, queue, clock, unclaimed);

    // ------------------------------------------------------------------------------------- due (requeued) jobs

    @Test
    void a_requeued_job_whose_message_was_lost_is_sent_again_once_per_five_minutes() {
        Job job = recorded(requeuedAndDue(clock.instant().minusSeconds(1)));

        assertThat(sweeper.sweep()).isEqualTo(new Sweeper.Report(0, 0, 1, 0));
        assertThat(visibleMessages()).containsExactly(JobMessage.of(job).toBody());
        assertThat(store.find(job.jobId()).orElseThrow().dueAt()).isEqualTo(clock.instant().plus(Sweeper.RESEND_AFTER));

        assertThat(sweeper.sweep()).as("the next minute's sweep").isEqualTo(new Sweeper.Report(0, 0, 0, 0));

        clock.advance(Sweeper.RESEND_AFTER);
        assertThat(sweeper.sweep()).as("still unclaimed five minutes later").isEqualTo(new Sweeper.Report(0, 0, 1, 0));
    }

    @Test
    void a_requeued_job_that_is_not_due_yet_is_left_alone() {
        recorded(requeuedAndDue(clock.instant().plusSeconds(30)));

        assertThat(sweeper.sweep()).isEqualTo(new Sweeper.Report(0, 0, 0, 0));
        assertThat(queue.size()).isZero();
    }

    @Test
    void a_requeued_job_a_worker_claimed_is_not_sent_again() {
        Job job = recorded(requeuedAndDue(clock.instant().minusSeconds(1)));
        store.claim(job.jobId(), "worker", clock.instant(), Duration.ofMinutes(2));

        assertThat(sweeper.sweep()).isEqualTo(new Sweeper.Report(0, 0, 0, 0));
        assertThat(queue.size()).isZero();
    }

    @Test
    void a_retrying_job_whose_message_is_late_is_sent_again_once_its_grace_is_over() {
        Job running = Jobs.aRunningJob(clock.instant(), Duration.ofSeconds(60)).build();
        Instant retryAt = clock.instant().plusSeconds(2);
        Job retrying = recorded(running.retry(new JobError("boom", "Exception", clock.instant()), retryAt,
                clock.instant(), Duration.ofMinutes(5)));

        clock.advance(Duration.ofMinutes(5)); // its message was to come at retryAt; it is held by a failed hand-back
        assertThat(sweeper.sweep()).as("within the grace").isEqualTo(new Sweeper.Report(0, 0, 0, 0));

        clock.advance(Duration.ofSeconds(3));
        assertThat(sweeper.sweep()).isEqualTo(new Sweeper.Report(0, 0, 1, 0));
        assertThat(visibleMessages()).containsExactly(JobMessage.of(retrying).toBody());
    }

    // ------------------------------------------------------------------------------------- dead-letter queue

    @Test
    void an_unfinished_jobs_message_that_sqs_moved_to_the_dlq_goes_back_to_the_jobs_queue() {
        Job retrying = recorded(Jobs.aRetryingJob(clock.instant()).build());
        queue.sendToDeadLetter(JobMessage.of(retrying).toBody(), maxReceives());

        assertThat(sweeper.sweep()).isEqualTo(new Sweeper.Report(0, 0, 0, 1));
        assertThat(visibleMessages()).containsExactly(JobMessage.of(retrying).toBody());
        assertThat(queue.deadLetterCount()).isZero();
    }

    @Test
    void a_dead_jobs_message_stays_in_the_dlq_for_operators() {
        Job dead = recorded(aDeadJob(clock.instant()).build());
        queue.sendToDeadLetter(JobMessage.of(dead).toBody(), new JobError("out of attempts", "JobTimeout", clock.instant()));

        assertThat(sweeper.sweep()).isEqualTo(new Sweeper.Report(0, 0, 0, 0));
        assertThat(queue.size()).isZero();
        clock.advance(Sweeper.DEAD_LETTER_LOOK);
        assertThat(deadLetterBodies()).as("rested, so the next runs read other messages").isEmpty();
        clock.advance(Sweeper.DEAD_LETTER_REST);
        assertThat(deadLetterBodies()).containsExactly(JobMessage.of(dead).toBody());
    }

    @Test
    void a_poison_message_stays_in_the_dlq_and_is_noted_once_as_unparseable_for_no_tenant() {
        Instant sent = clock.instant();
        queue.sendToDeadLetter("not a job", new JobError("", "PoisonMessage", clock.instant()));

        assertThat(sweeper.sweep()).isEqualTo(new Sweeper.Report(0, 0, 0, 0));
        clock.advance(Sweeper.DEAD_LETTER_REST);
        assertThat(sweeper.sweep()).as("seen again ten minutes later").isEqualTo(new Sweeper.Report(0, 0, 0, 0));

        assertThat(unclaimed.list(null, null, 10).items()).singleElement().satisfies(letter -> {
            assertThat(letter.reason()).isEqualTo(UnclaimedDeadLetter.Reason.UNPARSEABLE_BODY);
            assertThat(letter.body()).isEqualTo("not a job");
            assertThat(letter.jobId()).isNull();
            assertThat(letter.sentAt()).isEqualTo(sent);
            assertThat(letter.seenAt()).as("its first sighting").isEqualTo(sent);
        });
        clock.advance(Sweeper.DEAD_LETTER_REST);
        assertThat(deadLetterBodies()).containsExactly("not a job");
    }

    @Test
    void one_run_reads_the_dlq_through_so_a_poison_message_behind_hundreds_of_dead_jobs_copies_is_noted() {
        for (int i = 0; i < 300; i++) {
            Job dead = recorded(aDeadJob(clock.instant()).build());
            queue.sendToDeadLetter(JobMessage.of(dead).toBody(), new JobError("out of attempts", "JobTimeout",
                    clock.instant()));
        }
        queue.sendToDeadLetter("behind them all", new JobError("", "PoisonMessage", clock.instant()));

        sweeper.sweep();

        assertThat(unclaimed.list(null, null, 10).items()).extracting(UnclaimedDeadLetter::body)
                .containsExactly("behind them all");
    }

    @Test
    void a_failed_call_for_one_dlq_message_does_not_end_the_run_for_the_messages_after_it() {
        Job unlucky = recorded(aDeadJob(clock.instant()).build());
        queue.sendToDeadLetter(JobMessage.of(unlucky).toBody(), new JobError("out of attempts", "JobTimeout",
                clock.instant()));
        queue.sendToDeadLetter("after it", new JobError("", "PoisonMessage", clock.instant()));
        var failingOnce = new io.jobway.store.ForwardingJobStore(store) {
            private boolean failed;

            @Override
            public java.util.Optional<Job> find(String jobId) {
                if (!failed && jobId.equals(unlucky.jobId())) {
                    failed = true;
                    throw new IllegalStateException("Unable to execute HTTP request: connect timed out");
                }
                return super.find(jobId);
            }
        };

        new Sweeper(failingOnce, queue, clock, unclaimed).sweep();

        assertThat(unclaimed.list(null, null, 10).items()).extracting(UnclaimedDeadLetter::body)
                .containsExactly("after it");
    }

    @Test
    void a_workers_copy_of_a_message_whose_record_never_appeared_is_noted_for_its_tenant_and_stays() {
        Job neverWritten = Jobs.aQueuedJob(clock.instant()).tenantId("tenant-x").build();
        String body = JobMessage.of(neverWritten).toBody();
        queue.sendToDeadLetter(body, new JobError("no record", JobError.RECORD_MISSING, clock.instant()));

        sweeper.sweep();

        assertThat(unclaimed.list("tenant-x", null, 10).items()).singleElement().satisfies(letter -> {
            assertThat(letter.reason()).isEqualTo(UnclaimedDeadLetter.Reason.RECORD_NEVER_APPEARED);
            assertThat(letter.jobId()).isEqualTo(neverWritten.jobId());
            assertThat(letter.body()).isEqualTo(body);
        });
        assertThat(unclaimed.list(null, null, 10).items()).isEmpty();
        clock.advance(Sweeper.DEAD_LETTER_REST);
        assertThat(deadLetterBodies()).as("not taken for a purged job's stale copy").containsExactly(body);
    }

    @Test
    void a_message_sqs_moved_to_the_dlq_without_a_record_is_noted_and_a_purged_jobs_copy_is_removed() {
        Job neverWritten = Jobs.aQueuedJob(clock.instant()).tenantId("tenant-x").build();
        queue.moveToDeadLetter(JobMessage.of(neverWritten).toBody()); // SQS's redrive policy: no marker
        Job purged = aDeadJob(clock.instant()).tenantId("tenant-x").build(); // its record is gone
        queue.sendToDeadLetter(JobMessage.of(purged).toBody(), new JobError("out of attempts", "JobTimeout",
                clock.instant()));

        sweeper.sweep();

        assertThat(unclaimed.list("tenant-x", null, 10).items()).extracting(UnclaimedDeadLetter::jobId)
                .containsExactly(neverWritten.jobId());
        clock.advance(Sweeper.DEAD_LETTER_REST);
        assertThat(deadLetterBodies()).containsExactly(JobMessage.of(neverWritten).toBody());
    }

    @Test
    void a_running_jobs_message_in_the_dlq_waits_for_the_lease_to_end_then_goes_back() {
        Job running = recorded(Jobs.aRunningJob(clock.instant(), Duration.ofSeconds(60)).build());
        queue.sendToDeadLetter(JobMessage.of(running).toBody(), maxReceives());

        assertThat(sweeper.sweep()).as("while the lease lasts").isEqualTo(new Sweeper.Report(0, 0, 0, 0));
        clock.advance(Sweeper.DEAD_LETTER_REST);

        assertThat(sweeper.sweep()).isEqualTo(new Sweeper.Report(0, 0, 0, 1));
        assertThat(visibleMessages()).containsExactly(JobMessage.of(running).toBody());
    }

    @Test
    void a_due_job_that_is_no_longer_queued_leaves_the_due_index_and_nothing_is_sent() {
        Job cancelled = recorded(Jobs.aCancelledJob(clock.instant()).dueAt(clock.instant()).build());

        assertThat(sweeper.sweep()).isEqualTo(new Sweeper.Report(0, 0, 0, 0));

        assertThat(store.find(cancelled.jobId()).orElseThrow().dueAt()).isNull();
        assertThat(store.findDue(clock.instant(), 10)).isEmpty();
        assertThat(queue.size()).isZero();
    }

    // ------------------------------------------------------------------------------------------ the function

    @Test
    void the_scheduled_event_runs_one_sweep_and_reports_it() throws IOException {
        recorded(requeuedAndDue(clock.instant().minusSeconds(1)));
        Map<String, Object> event = LambdaEvents.loadMap("sweeper-schedule.json");
        var out = new ByteArrayOutputStream();

        new SweeperFunction(sweeper).handleRequest(Files.newInputStream(LambdaEvents.path("sweeper-schedule.json")),
                out, new FakeLambdaContext("jobway-SweeperFunction", Duration.ofSeconds(60)));

        assertThat(event).containsEntry("detail-type", "Scheduled Event").containsEntry("source", "aws.events");
        assertThat(Json.parse(out.toString(StandardCharsets.UTF_8)))
                .isEqualTo(Json.parse("{\"schedulesFired\":0,\"scheduledEnqueued\":0,\"dueResent\":1,\"deadLettersRedelivered\":0}"));
        assertThat(queue.size()).isEqualTo(1);
    }

    // ------------------------------------------------------------------------------------------ scheduled jobs

    @Test
    void a_scheduled_job_is_left_alone_until_ten_minutes_before_its_run_time() {
        Job job = scheduled(Duration.ofHours(2));

        clock.advance(Duration.ofHours(2).minus(Job.ENQUEUE_AHEAD).minusSeconds(1));
        assertThat(sweeper.sweep()).isEqualTo(new Sweeper.Report(0, 0, 0, 0));
        assertThat(queue.size()).isZero();
        assertThat(store.find(job.jobId()).orElseThrow().status()).isEqualTo(JobStatus.SCHEDULED);
    }

    @Test
    void a_due_scheduled_job_is_queued_and_its_message_carries_the_rest_of_the_wait_to_the_second() {
        Job job = scheduled(Duration.ofDays(3));
        clock.set(job.runAt().minus(Job.ENQUEUE_AHEAD).plusMillis(400)); // a sweep 0.4 s into the window

        assertThat(sweeper.sweep()).isEqualTo(new Sweeper.Report(0, 1, 0, 0));

        Job queued = store.find(job.jobId()).orElseThrow();
        assertThat(queued.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(queued.runAt()).isEqualTo(job.runAt());
        clock.set(job.runAt().minusSeconds(1));
        assertThat(visibleMessages()).as("a second before its run time").isEmpty();
        clock.set(job.runAt().plusSeconds(1)); // whole seconds, rounded up: never early, under a second late
        assertThat(visibleMessages()).containsExactly(JobMessage.of(job).toBody());
    }

    @Test
    void a_scheduled_job_found_late_is_sent_at_once_and_sent_again_if_still_unclaimed() {
        Job job = scheduled(Duration.ofHours(1));
        clock.set(job.runAt().plus(Duration.ofMinutes(3))); // the sweeper was down at its time

        assertThat(sweeper.sweep()).isEqualTo(new Sweeper.Report(0, 1, 0, 0));
        assertThat(visibleMessages()).containsExactly(JobMessage.of(job).toBody());

        clock.advance(Sweeper.RESEND_AFTER);
        assertThat(sweeper.sweep()).as("its message was lost").isEqualTo(new Sweeper.Report(0, 0, 1, 0));
    }

    @Test
    void two_overlapping_sweeps_send_a_scheduled_job_once() {
        Job job = scheduled(Duration.ofHours(1));
        clock.set(job.runAt().minus(Job.ENQUEUE_AHEAD));
        Sweeper other = new Sweeper(store, queue, clock, unclaimed);

        Sweeper.Report first = sweeper.sweep();
        Sweeper.Report second = other.sweep();

        assertThat(first.scheduledEnqueued() + second.scheduledEnqueued()).isOne();
        assertThat(queue.size()).isOne();
    }

    @Test
    void a_cancelled_scheduled_job_is_never_sent() {
        Job job = scheduled(Duration.ofHours(1));
        store.save(job, job.cancel(clock.instant(), Jobs.RETENTION));

        clock.set(job.runAt());
        assertThat(sweeper.sweep()).isEqualTo(new Sweeper.Report(0, 0, 0, 0));
        assertThat(queue.size()).isZero();
    }

    @Test
    void one_run_sends_a_burst_of_jobs_scheduled_for_the_same_minute_past_the_page_size() {
        int burst = Sweeper.MAX_DUE_PER_RUN * 3 + 7;
        Instant runAt = clock.instant().plus(Duration.ofDays(1));
        for (int i = 0; i < burst; i++) {
            store.create(Job.submit(Jobs.newJobId(), Jobs.TENANT, new JobSpec("echo", null, 3, 60, 0, null, null)
                    .withRunAt(runAt), clock.instant()));
        }
        clock.set(runAt.minus(Job.ENQUEUE_AHEAD));

        assertThat(sweeper.sweep().scheduledEnqueued()).isEqualTo(burst);
        assertThat(queue.size()).isEqualTo(burst);
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /** A job submitted now to run after {@code wait}, recorded as the API records it. */
    private Job scheduled(Duration wait) {
        Job job = Job.submit(Jobs.newJobId(), Jobs.TENANT, new JobSpec("echo", null, 3, 60,
                (int) wait.toSeconds(), null, null), clock.instant());
        assertThat(job.status()).isEqualTo(JobStatus.SCHEDULED);
        return recorded(job);
    }

    /** Dead, then retried by an operator: the record says queued, and the sweeper looks at it at {@code dueAt}. */
    private Job requeuedAndDue(Instant dueAt) {
        Instant now = clock.instant();
        return aDeadJob(now.minusSeconds(600)).build().requeue(now.minusSeconds(120), dueAt);
    }

    private Job recorded(Job job) {
        store.create(job);
        return job;
    }

    private JobError maxReceives() {
        return new JobError("moved by the redrive policy", "MaxReceiveCount", clock.instant());
    }

    private List<String> visibleMessages() {
        return queue.receive(10, Duration.ofMinutes(1)).stream().map(ReceivedMessage::body).toList();
    }

    private List<String> deadLetterBodies() {
        return queue.receiveDeadLetters(10, Duration.ofMinutes(1)).stream().map(ReceivedMessage::body).toList();
    }
}
