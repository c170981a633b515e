package io.jobway.worker;

import static io.jobway.fixtures.Jobs.aQueuedJob;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.jobway.fixtures.FakeLambdaContext;
import io.jobway.fixtures.ForwardingJobQueue;
import io.jobway.fixtures.LambdaEvents;
import io.jobway.fixtures.TestClock;
import io.jobway.handler.JobHandlerRegistry;
import io.jobway.job.Backoff;
import io.jobway.job.Job;
import io.jobway.job.JobStatus;
import io.jobway.queue.InMemoryJobQueue;
import io.jobway.queue.JobMessage;
import io.jobway.queue.JobQueue;
import io.jobway.queue.ReceivedMessage;
import io.jobway.store.InMemoryJobStore;
import io.jobway.worker.builtin.EchoHandler;
import io.jobway.worker.builtin.FailHandler;
import io.jobway.worker.builtin.SleepHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The handler Lambda calls, fed the sample event exactly as Lambda's runtime deserializes it. */
class WorkerFunctionTest {
    private static final String MISSING_RECORD_MESSAGE = "2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901";

    private final TestClock clock = TestClock.startingNow();
    private final InMemoryJobStore store = new InMemoryJobStore();
    /** Each batch visibility change: the receipts and for how long. */
    private final List<Map.Entry<List<String>, Duration>> holds = new CopyOnWriteArrayList<>();
    private final InMemoryJobQueue queue = new InMemoryJobQueue(clock);
    private final JobQueue watchedQueue = new ForwardingJobQueue(queue) {
        @Override
        public void changeVisibility(List<String> receiptHandles, Duration duration) {
            holds.add(Map.entry(receiptHandles, duration));
            super.changeVisibility(receiptHandles, duration);
        }
    };
    private final WorkerFunction function = new WorkerFunction(new JobRunner(store, watchedQueue,
            JobHandlerRegistry.of(new EchoHandler(), new SleepHandler(), new FailHandler()),
            new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(900)), Duration.ofDays(30), clock));
    private SQSEvent event;
    private Job echo;

    @BeforeEach
    void recordTheSampleJob() {
        event = LambdaEvents.load("worker-sqs-batch.json", SQSEvent.class);
        String echoId = JobMessage.parse(event.getRecords().get(0).getBody()).orElseThrow().jobId();
        echo = aQueuedJob(clock.instant()).jobId(echoId).tenantId("tenant-sample").timeoutSeconds(30).build();
        store.create(echo);
    }

    @Test
    void the_sample_event_reads_as_lambda_reads_it() {
        assertThat(event.getRecords()).hasSize(3);
        SQSEvent.SQSMessage first = event.getRecords().get(0);
        assertThat(first.getEventSourceArn()).isEqualTo("arn:aws:sqs:us-east-1:123456789012:jobway-JobsQueue-1R5T9Q2W8E3Y");
        assertThat(first.getAttributes()).containsEntry("ApproximateReceiveCount", "1");
        assertThat(first.getReceiptHandle()).startsWith("AQEB");
    }

    @Test
    void the_sample_batch_runs_the_job_dead_letters_the_poison_and_retries_the_missing_record() throws IOException {
        List<String> retried = runSampleBatch(Duration.ofMinutes(15));

        assertThat(retried).containsExactly(MISSING_RECORD_MESSAGE);
        assertThat(store.find(echo.jobId()).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(queue.receiveDeadLetters(10, Duration.ofMinutes(1))).extracting(ReceivedMessage::body)
                .containsExactly(event.getRecords().get(1).getBody());
        String missingId = JobMessage.parse(event.getRecords().get(2).getBody()).orElseThrow().jobId();
        assertThat(store.find(missingId)).isEmpty();
        assertThat(store.tombstoneIfAbsent(missingId, clock.instant()))
                .as("after one delivery the id is not given up yet").isTrue();
    }

    @Test
    void a_batch_is_hidden_for_the_invocation_s_time_and_a_minute_so_a_dead_invocation_s_messages_come_back_soon()
            throws IOException {
        runSampleBatch(Duration.ofMinutes(15));

        assertThat(holds).hasSize(1);
        assertThat(holds.get(0).getKey()).containsExactlyElementsOf(
                event.getRecords().stream().map(SQSEvent.SQSMessage::getReceiptHandle).toList());
        assertThat(holds.get(0).getValue()).isBetween(Duration.ofMinutes(16).minusSeconds(5), Duration.ofMinutes(16).plusSeconds(5));
    }

    @Test
    void with_too_little_time_left_the_lambda_hands_every_job_back_unclaimed() throws IOException {
        List<String> retried = runSampleBatch(Duration.ofSeconds(40));

        assertThat(retried).containsExactlyInAnyOrder(event.getRecords().get(0).getMessageId(), MISSING_RECORD_MESSAGE);
        assertThat(store.find(echo.jobId())).contains(echo);
    }

    /**
     * The sample file's bytes, as Lambda hands them over, with this much time left; the ids the answer asks to
     * retry, read with the runtime's serializer as Lambda reads the answer.
     */
    private List<String> runSampleBatch(Duration timeLeft) throws IOException {
        var out = new ByteArrayOutputStream();
        function.handleRequest(Files.newInputStream(LambdaEvents.path("worker-sqs-batch.json")), out,
                new FakeLambdaContext("jobway-WorkerFunction", timeLeft));
        SQSBatchResponse response = LambdaEventSerializers.serializerFor(SQSBatchResponse.class,
                getClass().getClassLoader()).fromJson(new ByteArrayInputStream(out.toByteArray()));
        return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .toList();
    }
}
