package io.jobway.worker;

import static io.jobway.fixtures.Jobs.aQueuedJob;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobway.fixtures.TestClock;
import io.jobway.handler.JobHandlerRegistry;
import io.jobway.handler.PermanentJobFailure;
import io.jobway.job.Backoff;
import io.jobway.job.Job;
import io.jobway.job.JobStatus;
import io.jobway.job.Progress;
import io.jobway.json.Json;
import io.jobway.queue.InMemoryJobQueue;
import io.jobway.queue.JobMessage;
import io.jobway.store.ForwardingJobStore;
import io.jobway.store.InMemoryJobStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A handler reports progress as often as it likes; the table sees at most one write a second, and the last value. */
class ProgressTest {
    private final TestClock clock = TestClock.startingNow();
    private final RecordingStore store = new RecordingStore();
    private final InMemoryJobQueue queue = new InMemoryJobQueue(clock);

    private EventSourceMapping lambdaRunning(ObservedHandler handler) {
        JobRunner runner = new JobRunner(store, queue, JobHandlerRegistry.of(handler),
                new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(900)), Duration.ofDays(30), clock);
        return new EventSourceMapping(queue, runner, clock);
    }

    private Job submit(String type) {
        Job job = aQueuedJob(clock.instant()).type(type).payload("{}").build();
        queue.send(JobMessage.of(job), Duration.ZERO);
        store.create(job);
        return job;
    }

    @Test
    void a_burst_of_reports_costs_one_write_and_the_last_value_lands_with_the_outcome() {
        ObservedHandler burst = new ObservedHandler("burst", context -> {
            for (int percent = 0; percent <= 100; percent++) {
                context.progress(percent, percent == 100 ? "done" : "step " + percent);
            }
            return Json.object();
        });
        Job job = submit("burst");

        lambdaRunning(burst).deliver();

        Job done = store.find(job.jobId()).orElseThrow();
        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.progress()).isEqualTo(new Progress(100, "done"));
        assertThat(store.progressWrites()).as("progress-only writes").containsExactly(new Progress(0, "step 0"));
    }

    @Test
    void the_last_value_lands_with_a_dead_outcome_too() {
        ObservedHandler gaveUp = new ObservedHandler("gave-up", context -> {
            context.progress(10, "started");
            context.progress(60, "target answered 404");
            throw new PermanentJobFailure("the target has no such order");
        });
        Job job = submit("gave-up");

        lambdaRunning(gaveUp).deliver();

        Job dead = store.find(job.jobId()).orElseThrow();
        assertThat(dead.status()).isEqualTo(JobStatus.DEAD);
        assertThat(dead.progress()).isEqualTo(new Progress(60, "target answered 404"));
    }

    @Test
    void progress_reported_a_second_apart_is_written_as_it_happens() {
        ObservedHandler slow = new ObservedHandler("slow", context -> {
            context.progress(40, "enriching");
            Thread.sleep(1_300);
            context.progress(80, "scoring");
            Thread.sleep(1_300);
            return Json.object();
        });
        Job job = submit("slow");

        lambdaRunning(slow).deliver();

        assertThat(store.progressWrites()).containsExactly(new Progress(40, "enriching"), new Progress(80, "scoring"));
        assertThat(store.find(job.jobId()).orElseThrow().progress()).isEqualTo(new Progress(80, "scoring"));
    }

    @Test
    void a_report_inside_the_second_is_flushed_when_the_second_is_over() throws Exception {
        ObservedHandler handler = new ObservedHandler("flush", context -> {
            context.progress(10, "first");
            context.progress(20, "second"); // inside the same second: waits for the flush
            Thread.sleep(1_600);
            return Json.object();
        });
        submit("flush");

        lambdaRunning(handler).deliver();

        assertThat(store.progressWrites()).containsExactly(new Progress(10, "first"), new Progress(20, "second"));
    }

    @Test
    void a_report_back_to_the_value_written_cancels_the_one_waiting_and_the_last_value_lands() {
        ObservedHandler handler = new ObservedHandler("back", context -> {
            context.progress(10, "uploading");
            context.progress(20, "verifying"); // inside the second: waits for the flush
            context.progress(10, "uploading"); // the value written: nothing is left to write
            return Json.object();
        });
        Job job = submit("back");

        lambdaRunning(handler).deliver();

        assertThat(store.find(job.jobId()).orElseThrow().progress()).isEqualTo(new Progress(10, "uploading"));
        assertThat(store.progressWrites()).containsExactly(new Progress(10, "uploading"));
    }

    /** Remembers the writes that changed only a running job's progress. */
    private static final class RecordingStore extends ForwardingJobStore {
        private final List<Progress> progressWrites = new CopyOnWriteArrayList<>();

        RecordingStore() {
            super(new InMemoryJobStore());
        }

        @Override
        public Job save(Job before, Job after) {
            Job saved = super.save(before, after);
            if (after.status() == JobStatus.RUNNING && before.status() == JobStatus.RUNNING
                    && !java.util.Objects.equals(before.progress(), after.progress())) {
                progressWrites.add(after.progress());
            }
            return saved;
        }

        List<Progress> progressWrites() {
            return List.copyOf(progressWrites);
        }
    }
}
