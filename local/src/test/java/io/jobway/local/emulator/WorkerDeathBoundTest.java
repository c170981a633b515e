package io.jobway.local.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobway.events.SqsMessage;
import io.jobway.handler.JobHandlerRegistry;
import io.jobway.job.Backoff;
import io.jobway.queue.SqsJobQueue;
import io.jobway.store.InMemoryJobStore;
import io.jobway.worker.JobRunner;
import io.jobway.worker.builtin.EchoHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The bound on AWS when a worker invocation dies (Lambda timeout, OOM) before it starts the jobs of its batch,
 * on the embedded ElasticMQ: the messages, received with the jobs queue's 5,400 s visibility timeout as Lambda's
 * poller receives them, are hidden by the worker's first call ({@link JobRunner#holdUntil}) until the
 * invocation's deadline plus {@link JobRunner#HOLD_AFTER_DEADLINE}, and visible again then, though nothing else
 * touched them.
 */
class WorkerDeathBoundTest {
    private static final Duration LEFT_IN_INVOCATION = Duration.ofSeconds(2);

    @Test
    void the_messages_of_an_invocation_that_died_come_back_a_minute_after_its_deadline_not_after_90_minutes()
            throws Exception {
        try (EmbeddedSqs emulator = EmbeddedSqs.startInMemory(0);
             SqsClient sqs = EmulatorClients.sqs(emulator.endpoint())) {
            String url = sqs.createQueue(b -> b.queueName("jobs").attributes(Map.of(
                    QueueAttributeName.VISIBILITY_TIMEOUT, "5400"))).queueUrl();
            for (int i = 0; i < 3; i++) {
                int n = i;
                sqs.sendMessage(b -> b.queueUrl(url).messageBody("{\"jobId\":\"job-" + n + "\"}"));
            }
            List<Message> batch = receive(sqs, url, 3);
            assertThat(batch).hasSize(3);
            JobRunner worker = new JobRunner(new InMemoryJobStore(), new SqsJobQueue(sqs, url, null),
                    JobHandlerRegistry.of(new EchoHandler()), new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(900)),
                    Duration.ofDays(30), Clock.systemUTC());

            Instant deadline = Instant.now().plus(LEFT_IN_INVOCATION);
            worker.holdUntil(batch.stream().map(m -> new SqsMessage(m.messageId(), m.receiptHandle(), m.body(),
                    Map.of())).toList(), deadline);
            // ... and the invocation dies here: nothing deletes, fails or hands back any of the three

            Instant back = deadline.plus(JobRunner.HOLD_AFTER_DEADLINE);
            Thread.sleep(Duration.between(Instant.now(), back.minusSeconds(5)));
            assertThat(receive(sqs, url, 0)).as("still hidden 5 s before the deadline plus a minute").isEmpty();
            Thread.sleep(Duration.between(Instant.now(), back.plusSeconds(1)).toMillis());
            List<Message> again = receive(sqs, url, 3);
            assertThat(again).as("visible again right after the deadline plus a minute").hasSize(3);
            assertThat(again).allSatisfy(m -> assertThat(m.attributes().get(
                    MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).isEqualTo("2"));
        }
    }

    /** Receives until {@code expected} messages came (or, for 0, makes one short poll). */
    private static List<Message> receive(SqsClient sqs, String url, int expected) {
        List<Message> received = new java.util.ArrayList<>();
        Instant giveUp = Instant.now().plusSeconds(10);
        do {
            received.addAll(sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages());
        } while (received.size() < expected && Instant.now().isBefore(giveUp));
        return received;
    }
}
