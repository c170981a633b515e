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
    void retry_later_waits_at_least_as_long_as_the_handler_was_told_even_beyond_the_backoff() {
        Job job = submit("busy");
        EventSourceMapping lambda = lambdaRunning(new ObservedHandler("busy", c -> {
            throw new RetryLaterException("429 Too Many Requests; Retry-After 120 s", Duration.ofSeconds(120));
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
}
