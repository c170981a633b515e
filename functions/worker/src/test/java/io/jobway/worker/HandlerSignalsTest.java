package io.jobway.worker;

import static io.jobway.fixtures.Jobs.aQueuedJob;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobway.fixtures.TestClock;
import io.jobway.handler.JobHandlerRegistry;
import io.jobway.handler.PermanentJobFailure;
import io.jobway.handler.RetryLaterException;
import io.jobway.job.Backoff;
import io.jobway.job.Job;
import io.jobway.job.JobStatus;
import io.jobway.queue.InMemoryJobQueue;
import io.jobway.queue.JobMessage;
import io.jobway.store.InMemoryJobStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A handler can say "never again" or "not before then"; the worker acts on it. */
class HandlerSignalsTest {
    private final TestClock clock = TestClock.startingNow();
    private final InMemoryJobStore store = new InMemoryJobStore();
    private final InMemoryJobQueue queue = new InMemoryJobQueue(clock);

    private EventSourceMapping lambdaRunning(ObservedHandler handler) {
        return new EventSourceMapping(queue, new JobRunner(store, queue, JobHandlerRegistry.of(handler),
                new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2)), Duration.ofDays(30), clock), clock);
    }

    private Job submit(String type) {
        Job job = aQueuedJob(clock.instant()).type(type).payload("{}").maxAttempts(5).build();
        queue.send(JobMessage.of(job), Duration.ZERO);
        store.create(job);
        return job;
    }

    @Test
    void a_permanent_failure_ends_the_job_dead_on_its_first_attempt() {
        Job job = submit("gone");

        lambdaRunning(new ObservedHandler("gone", c -> {
            throw new PermanentJobFailure("the target answered 410 Gone");
        })).deliver();

        Job dead = store.find(job.jobId()).orElseThrow();
        assertThat(dead.status()).isEqualTo(JobStatus.DEAD);
        assertThat(dead.attempt()).isEqualTo(1);
        assertThat(dead.lastError().message()).isEqualTo("the target answered 410 Gone");
        assertThat(queue.deadLetterCount()).isEqualTo(1);
    }

    @Test
    void retry_later_defers_the_job_without_spending_an_attempt_or_recording_an_error() {
        Job job = submit("busy");
        EventSourceMapping lambda = lambdaRunning(new ObservedHandler("busy", c -> {
            throw new RetryLaterException("429 Too Many Requests; Retry-After 120 s", Duration.ofSeconds(120));
        }));

        lambda.deliver();

        Job deferred = store.find(job.jobId()).orElseThrow();
        assertThat(deferred.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(deferred.attempt()).as("the attempt is given back").isZero();
        assertThat(deferred.lastError()).isNull();
        assertThat(deferred.deferredUntil()).isEqualTo(clock.instant().plusSeconds(120));
        assertThat(deferred.runAt()).isEqualTo(deferred.deferredUntil());
        clock.advance(Duration.ofSeconds(119));
        assertThat(lambda.deliver().messages()).as("hidden for the full 120 s").isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(lambda.deliver().messages()).hasSize(1);
    }

    @Test
    void a_failed_attempt_told_when_to_come_back_waits_at_least_that_long_even_beyond_the_backoff() {
        Job job = submit("busy");
        EventSourceMapping lambda = lambdaRunning(new ObservedHandler("busy", c -> {
            throw RetryLaterException.failedAttempt("503 Service Unavailable; Retry-After 120 s",
                    Duration.ofSeconds(120));
        }));

        lambda.deliver();
        clock.advance(Duration.ofSeconds(119));
        int beforeRetryAfter = lambda.deliver().messages().size();
        clock.advance(Duration.ofSeconds(2));
        int afterRetryAfter = lambda.deliver().messages().size();

        assertThat(store.find(job.jobId()).orElseThrow().status()).isEqualTo(JobStatus.RETRYING);
        assertThat(beforeRetryAfter).as("hidden for the full 120 s, not the 1-2 s backoff").isZero();
        assertThat(afterRetryAfter).isEqualTo(1);
    }

    @Test
    void a_job_deferred_more_often_than_its_attempts_still_runs_and_each_message_is_received_once() {
        Job job = aQueuedJob(clock.instant()).type("quota").payload("{}").maxAttempts(1).build();
        queue.send(JobMessage.of(job), Duration.ZERO);
        store.create(job);
        AtomicInteger calls = new AtomicInteger();
        EventSourceMapping lambda = lambdaRunning(new ObservedHandler("quota", c -> {
            if (calls.incrementAndGet() <= 5) {
                throw new RetryLaterException("daily quota used up", Duration.ofSeconds(30));
            }
            return null;
        }));

        List<Integer> receiveCounts = new ArrayList<>();
        for (int round = 0; round < 6; round++) {
            lambda.deliver().messages().forEach(m -> receiveCounts.add(m.receiveCount()));
            clock.advance(Duration.ofSeconds(30));
        }

        Job done = store.find(job.jobId()).orElseThrow();
        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.attempt()).isEqualTo(1);
        assertThat(receiveCounts).as("a new message each time: nothing counts toward the DLQ").containsOnly(1)
                .hasSize(6);
        assertThat(queue.deadLetterCount()).isZero();
    }

    @Test
    void retry_later_beyond_15_minutes_schedules_the_job_for_the_sweeper() {
        Job job = submit("tomorrow");
        lambdaRunning(new ObservedHandler("tomorrow", c -> {
            throw new RetryLaterException("the provider's daily limit resets at midnight", Duration.ofHours(20));
        })).deliver();

        Job deferred = store.find(job.jobId()).orElseThrow();
        assertThat(deferred.status()).isEqualTo(JobStatus.SCHEDULED);
        assertThat(deferred.dueAt()).isEqualTo(deferred.runAt().minus(Job.ENQUEUE_AHEAD));
        assertThat(queue.size()).as("no message until the sweeper sends one").isZero();
    }
}
