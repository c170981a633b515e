package io.jobway.worker;

import static io.jobway.fixtures.Jobs.aQueuedJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobway.store.ForwardingJobStore;
import io.jobway.fixtures.TestClock;
import io.jobway.job.Job;
import io.jobway.job.Progress;
import io.jobway.store.ClaimResult;
import io.jobway.store.InMemoryJobStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * No caller of a running job's context waits on a store call another thread is making: the state is decided
 * under a lock that no store call holds, so a report is never held up by a write or a cancel check in flight.
 * The outcome is written on the version the write in flight produced, with the report made meanwhile.
 */
class RunningJobContextTest {
    private static final Duration PROMPTLY = Duration.ofSeconds(2);

    private final TestClock clock = TestClock.startingNow();
    private final HeldStore store = new HeldStore();
    private final Job job = claimedJob();

    private Job claimedJob() {
        Job queued = aQueuedJob(clock.instant()).build();
        store.create(queued);
        return ((ClaimResult.Claimed) store.claim(queued.jobId(), "lease-1", clock.instant(), Duration.ofMinutes(2)))
                .job();
    }

    private RunningJobContext context() {
        return new RunningJobContext(job, clock.instant().plusSeconds(60), store, null, clock);
    }

    @AfterEach
    void releaseHeldCalls() {
        store.release();
    }

    @Test
    void close_waits_for_the_write_in_flight_and_the_outcome_carries_the_report_made_meanwhile() throws Exception {
        RunningJobContext context = context();
        store.holdSaves();
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> context.progress(10, "first"),
                runnable -> Thread.ofVirtual().start(runnable));
        store.awaitHeld();

        assertThat(CompletableFuture.runAsync(() -> context.progress(20, "second")))
                .as("a report while the write is in flight returns at once").succeedsWithin(PROMPTLY);
        CompletableFuture<Job> closed = CompletableFuture.supplyAsync(context::close);
        assertThatThrownBy(() -> closed.get(300, TimeUnit.MILLISECONDS)).as("close waits while the write is in flight")
                .isInstanceOf(TimeoutException.class);
        store.release();

        Job outcomeBase = closed.get(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(first).succeedsWithin(PROMPTLY);
        Job stored = store.find(job.jobId()).orElseThrow();
        assertThat(stored.progress()).isEqualTo(new Progress(10, "first"));
        assertThat(outcomeBase.version()).as("the version the write produced").isEqualTo(stored.version());
        assertThat(outcomeBase.progress()).isEqualTo(new Progress(20, "second"));
    }

    @Test
    void a_report_while_a_cancel_check_is_in_flight_is_written_without_waiting_for_it() throws Exception {
        RunningJobContext context = context();
        store.holdFinds();
        CompletableFuture<Boolean> check = CompletableFuture.supplyAsync(context::cancelRequested,
                runnable -> Thread.ofVirtual().start(runnable));
        store.awaitHeld();

        assertThat(CompletableFuture.runAsync(() -> context.progress(30, "working")))
                .as("a report while the cancel check is in flight is written at once").succeedsWithin(PROMPTLY);
        store.release();

        assertThat(check).succeedsWithin(PROMPTLY).isEqualTo(false);
        assertThat(store.find(job.jobId()).orElseThrow().progress()).isEqualTo(new Progress(30, "working"));
    }

    /** Holds the next save or find until released, as a slow DynamoDB call would. */
    private static final class HeldStore extends ForwardingJobStore {
        private final CountDownLatch held = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private volatile boolean holdSave;
        private volatile boolean holdFind;

        HeldStore() {
            super(new InMemoryJobStore());
        }

        void holdSaves() {
            holdSave = true;
        }

        void holdFinds() {
            holdFind = true;
        }

        void awaitHeld() throws InterruptedException {
            assertThat(held.await(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS)).as("a store call started").isTrue();
        }

        void release() {
            released.countDown();
        }

        @Override
        public Job save(Job before, Job after) {
            if (holdSave) {
                holdSave = false;
                hold();
            }
            return super.save(before, after);
        }

        @Override
        public Optional<Job> find(String jobId) {
            if (holdFind) {
                holdFind = false;
                hold();
            }
            return super.find(jobId);
        }

        private void hold() {
            held.countDown();
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
