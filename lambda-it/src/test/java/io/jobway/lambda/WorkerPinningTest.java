package io.jobway.lambda;

import static io.jobway.fixtures.Jobs.aQueuedJob;
import static io.jobway.lambda.Lambda.answer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.job.Job;
import io.jobway.job.JobStatus;
import io.jobway.job.Progress;
import io.jobway.local.lambda.LambdaEvents;
import io.jobway.queue.JobMessage;
import io.jobway.store.DynamoJobStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * WorkerFunction's package on Java 21 (Lambda's java21 runtime, where a virtual thread that blocks inside
 * {@code synchronized} pins its carrier: JEP 491 fixed that only in JDK 24), started with
 * {@code -Djdk.tracePinnedThreads=full}. Batches of {@code sleep} jobs run at once, each reporting progress every
 * 200 ms (throttled to a write a second) and checking for a cancel, some timing out: no virtual thread of the
 * worker may park while it holds a monitor, which the JVM reports on stdout with a stack ending in
 * {@code <== monitors:N}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerPinningTest {
    /**
     * The first line of a pinned-thread trace: {@code VirtualThread[#42]/runnable@ForkJoinPool-1-worker-1
     * reason:MONITOR} on Java 21.0.8 ({@code Thread[#42,ForkJoinPool-1-worker-1,5,CarrierThreads]} on 21.0.0-21.0.2).
     */
    private static final Pattern TRACE_START = Pattern.compile(
            "^(VirtualThread\\[#\\d+.*reason:\\w+|Thread\\[#\\d+,ForkJoinPool-\\d+-worker-\\d+.*)$");
    private static final int BATCHES = 2;
    private static final int FINISHING = 6;
    private static final int TIMING_OUT = 4;
    private static final long SLEEP_MS = 3_000;
    private static final int SHORT_TIMEOUT_SECONDS = 2;

    private final Lambda lambda = Lambda.shared();
    private ExecutionEnvironment worker;
    private DynamoJobStore store;

    @BeforeAll
    void start() {
        worker = ExecutionEnvironment.start(lambda.java.withOptions(List.of("-Djdk.tracePinnedThreads=full")),
                lambda.stack.function("WorkerFunction"));
        store = new DynamoJobStore(lambda.stack.dynamo(), lambda.tableName("JobsTable"),
                lambda.tableName("IdempotencyTable"));
    }

    @AfterAll
    void stop() {
        worker.close();
    }

    @Test
    void jobs_that_report_progress_and_time_out_together_never_pin_a_carrier_thread() {
        var finishing = new ArrayList<Job>();
        var timingOut = new ArrayList<Job>();
        for (int batch = 0; batch < BATCHES; batch++) {
            var jobs = new ArrayList<Job>();
            for (int i = 0; i < FINISHING; i++) {
                jobs.add(sleepJob(SLEEP_MS, 30));
            }
            for (int i = 0; i < TIMING_OUT; i++) {
                jobs.add(sleepJob(60_000, SHORT_TIMEOUT_SECONDS));
            }
            jobs.forEach(store::create);
            finishing.addAll(jobs.subList(0, FINISHING));
            timingOut.addAll(jobs.subList(FINISHING, jobs.size()));

            JsonNode response = answer(worker, sqsEvent(jobs));

            assertThat(response.get("batchItemFailures")).as("every message of the batch is done with").isEmpty();
        }

        for (Job job : finishing) {
            Job done = store.find(job.jobId()).orElseThrow();
            assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(done.progress()).as("the last report lands with the outcome")
                    .isEqualTo(new Progress(100, "slept " + SLEEP_MS + " ms"));
            assertThat(done.version()).as("claim, progress written while it ran (once a second), outcome")
                    .isGreaterThanOrEqualTo(job.version() + 4);
        }
        for (Job job : timingOut) {
            Job dead = store.find(job.jobId()).orElseThrow();
            assertThat(dead.status()).isEqualTo(JobStatus.DEAD);
            assertThat(dead.lastError().type()).isEqualTo("JobTimeout");
            assertThat(dead.version()).as("claim, progress written while it ran, outcome")
                    .isGreaterThanOrEqualTo(job.version() + 3);
        }
        String log = worker.log();
        assertThat(log).as("the test reads the JVM's stdout, where the pinned-thread traces go")
                .contains("\"event\":\"job.started\"");
        assertThat(pinnedThreadTraces(log)).as("pinned-thread traces in the worker's output").isEmpty();
        assertThat(log.lines().filter(line -> line.contains("<== monitors:")).toList())
                .as("frames holding a monitor where a virtual thread parked (a trace cut by other output)").isEmpty();
    }

    private static Job sleepJob(long ms, int timeoutSeconds) {
        return aQueuedJob(Instant.now()).tenantId(Lambda.SAMPLE_TENANT).type("sleep")
                .payload("{\"ms\":" + ms + "}").timeoutSeconds(timeoutSeconds).maxAttempts(1).build();
    }

    /** One SQS event with a message per job, as the event source mapping delivers a batch. */
    private String sqsEvent(List<Job> jobs) {
        List<Message> messages = jobs.stream().map(job -> Message.builder()
                .messageId(UUID.randomUUID().toString()).receiptHandle("pinning-" + job.jobId())
                .body(JobMessage.of(job).toBody())
                .attributes(Map.of(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1"))
                .build()).toList();
        return LambdaEvents.sqs(messages, lambda.stack.resources().queue("JobsQueue").arn());
    }

    /** Each trace the JVM printed: its first line and the indented stack lines under it. */
    static List<String> pinnedThreadTraces(String log) {
        var traces = new ArrayList<String>();
        StringBuilder trace = null;
        for (String line : log.lines().toList()) {
            if (TRACE_START.matcher(line).matches()) {
                if (trace != null) {
                    traces.add(trace.toString());
                }
                trace = new StringBuilder(line);
            } else if (trace != null && line.startsWith("    ")) {
                trace.append('\n').append(line);
            } else if (trace != null) {
                traces.add(trace.toString());
                trace = null;
            }
        }
        if (trace != null) {
            traces.add(trace.toString());
        }
        return traces;
    }
}
