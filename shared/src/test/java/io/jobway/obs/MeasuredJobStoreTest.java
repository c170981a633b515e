package io.jobway.obs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.fixtures.Jobs;
import io.jobway.job.Job;
import io.jobway.job.JobError;
import io.jobway.json.Json;
import io.jobway.store.ClaimResult;
import io.jobway.store.ConcurrentJobModification;
import io.jobway.store.InMemoryJobStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;

/**
 * Every change of state a function writes becomes one Embedded Metric Format document, as CloudWatch reads it:
 * namespace Jobway, dimensions Service and JobType, each metric with its unit. What was not written counts nothing.
 */
class MeasuredJobStoreTest {
    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");
    private final List<JsonNode> documents = new CopyOnWriteArrayList<>();
    private final InMemoryJobStore jobs = new InMemoryJobStore();
    private final MeasuredJobStore store = new MeasuredJobStore(jobs,
            JobMetrics.to(this::record, JobMetrics.NAMESPACE, "worker"));

    private void record(MetricsContext context) {
        try {
            context.serialize().forEach(doc -> documents.add(Json.parse(doc)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void a_job_run_to_success_emits_submitted_then_started_with_its_wait_then_succeeded_with_its_times() {
        Job queued = Jobs.aQueuedJob(T0).build();
        store.create(queued);
        ClaimResult claim = store.claim(queued.jobId(), "lease-1", T0.plusMillis(250), Duration.ofMinutes(2));
        Job running = ((ClaimResult.Claimed) claim).job();
        store.save(running, running.succeed("{}", T0.plusMillis(1_250), Jobs.RETENTION));

        assertThat(documents).hasSize(3);
        JsonNode submitted = documents.get(0);
        assertThat(submitted.at("/_aws/CloudWatchMetrics/0/Namespace").asText()).isEqualTo("Jobway");
        assertThat(submitted.at("/_aws/CloudWatchMetrics/0/Dimensions")).as("each function's totals, each type's")
                .isEqualTo(Json.parse("[[\"Service\"],[\"JobType\"]]"));
        assertThat(submitted.get("Service").asText()).isEqualTo("worker");
        assertThat(submitted.get("JobType").asText()).isEqualTo("echo");
        assertThat(metricNames(submitted)).containsExactly("JobsSubmitted");
        assertThat(submitted.get("JobsSubmitted").asDouble()).isEqualTo(1.0);

        assertThat(metricNames(documents.get(1))).containsExactly("JobsStarted", "QueueWait");
        assertThat(documents.get(1).get("QueueWait").asDouble()).isEqualTo(250.0);
        assertThat(unit(documents.get(1), "QueueWait")).isEqualTo("Milliseconds");

        JsonNode succeeded = documents.get(2);
        assertThat(metricNames(succeeded)).containsExactly("EndToEnd", "JobsSucceeded", "RunTime");
        assertThat(succeeded.get("RunTime").asDouble()).isEqualTo(1_000.0);
        assertThat(succeeded.get("EndToEnd").asDouble()).isEqualTo(1_250.0);
        assertThat(unit(succeeded, "JobsSucceeded")).isEqualTo("Count");
    }

    @Test
    void a_failed_attempt_counts_a_retry_with_its_run_time_and_a_last_one_counts_dead_end_to_end() {
        Job running = Jobs.aRunningJob(T0).build();
        jobs.create(running);
        Job retrying = store.save(running, running.retry(new JobError("boom", "IllegalStateException", T0),
                T0.plusSeconds(5), T0.plusMillis(400), Duration.ofMinutes(1)));
        Job again = ((ClaimResult.Claimed) store.claim(retrying.jobId(), "lease-2", T0.plusSeconds(6),
                Duration.ofMinutes(2))).job();
        store.save(again, again.die(new JobError("boom", "IllegalStateException", T0), T0.plusSeconds(7),
                Jobs.RETENTION));

        assertThat(documents).extracting(MeasuredJobStoreTest::metricNames).containsExactly(
                List.of("JobsRetried", "RunTime"), List.of("JobsStarted", "QueueWait"),
                List.of("EndToEnd", "JobsDead", "RunTime"));
        assertThat(documents.get(0).get("RunTime").asDouble()).isEqualTo(400.0);
        assertThat(documents.get(1).get("QueueWait").asDouble()).as("from its retry's time").isEqualTo(1_000.0);
        assertThat(documents.get(2).get("EndToEnd").asDouble()).isEqualTo(7_000.0);
    }

    @Test
    void a_deferral_counts_deferred_and_a_cancel_of_a_queued_job_counts_cancelled() {
        Job running = Jobs.aRunningJob(T0).build();
        jobs.create(running);
        Job deferred = store.save(running, running.defer(T0.plusSeconds(30), T0.plusSeconds(1), Duration.ofMinutes(1)));
        store.save(deferred, deferred.cancel(T0.plusSeconds(2), Jobs.RETENTION));

        assertThat(documents).extracting(MeasuredJobStoreTest::metricNames).containsExactly(
                List.of("JobsDeferred"), List.of("EndToEnd", "JobsCancelled"));
    }

    @Test
    void a_write_that_was_refused_and_a_save_that_changes_no_state_count_nothing() {
        Job running = Jobs.aRunningJob(T0).build();
        jobs.create(running);
        store.save(running, running.cancel(T0, Jobs.RETENTION)); // only requested: still running
        Job stale = running;

        assertThatThrownBy(() -> store.save(stale, stale.succeed("{}", T0, Jobs.RETENTION)))
                .isInstanceOf(ConcurrentJobModification.class);
        assertThat(store.claim(running.jobId(), "lease-x", T0, Duration.ofMinutes(1)))
                .isInstanceOf(ClaimResult.NotClaimable.class);
        assertThat(documents).isEmpty();
    }

    @Test
    void metrics_off_emit_nothing_and_a_failing_sink_never_fails_the_write() {
        MeasuredJobStore failing = new MeasuredJobStore(jobs, JobMetrics.to(c -> {
            throw new IllegalStateException("the sink is down");
        }, JobMetrics.NAMESPACE, "api"));
        Job queued = Jobs.aQueuedJob(T0).build();

        failing.create(queued);

        assertThat(jobs.find(queued.jobId())).isPresent();
    }

    private static List<String> metricNames(JsonNode document) {
        return document.at("/_aws/CloudWatchMetrics/0/Metrics").findValuesAsText("Name").stream().sorted().toList();
    }

    private static String unit(JsonNode document, String metric) {
        for (JsonNode m : document.at("/_aws/CloudWatchMetrics/0/Metrics")) {
            if (m.get("Name").asText().equals(metric)) {
                return m.get("Unit").asText();
            }
        }
        return null;
    }
}
