package io.jobway.worker;

import io.jobway.fixtures.TestClock;
import io.jobway.job.Job;
import io.jobway.events.BatchItemFailures;
import io.jobway.events.BatchProcessor;
import io.jobway.events.SqsMessage;
import io.jobway.queue.InMemoryJobQueue;
import io.jobway.queue.JobMessage;
import io.jobway.queue.ReceivedMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What Lambda's SQS event source mapping does, over the in-memory queue: receive up to ten visible messages
 * with the queue's visibility timeout, run them through the worker's batch processor (each message through
 * {@link JobRunner#process}, with the deadline on the test clock), and delete every message the response does not
 * list as a batch item failure. Failed messages keep whatever visibility the worker set.
 */
final class EventSourceMapping {
    /** template.yaml's JobsQueue VisibilityTimeout. */
    static final Duration QUEUE_VISIBILITY = Duration.ofSeconds(5400);

    private final InMemoryJobQueue queue;
    private final JobRunner runner;
    private final TestClock clock;

    EventSourceMapping(InMemoryJobQueue queue, JobRunner runner, TestClock clock) {
        this.queue = queue;
        this.runner = runner;
        this.clock = clock;
    }

    record Delivery(List<SqsMessage> messages, BatchItemFailures response) {
        Set<String> failedMessageIds() {
            return Set.copyOf(response.itemIdentifiers());
        }

        /** The id of the message in this batch that carries the job. */
        String messageIdOf(Job job) {
            return messages.stream()
                    .filter(m -> JobMessage.parse(m.body()).map(j -> j.jobId().equals(job.jobId())).orElse(false))
                    .map(SqsMessage::messageId).findFirst()
                    .orElseThrow(() -> new AssertionError("no message for job " + job.jobId() + " in this batch"));
        }
    }

    /** One poll and invocation, with a full 15 minutes of Lambda time. No visible message: no invocation. */
    Delivery deliver() {
        return deliver(Duration.ofMinutes(15));
    }

    Delivery deliver(Duration lambdaTimeLeft) {
        List<SqsMessage> batch = receiveBatch();
        return batch.isEmpty() ? new Delivery(List.of(), BatchItemFailures.none()) : invoke(batch, lambdaTimeLeft);
    }

    List<SqsMessage> receiveBatch() {
        return queue.receive(10, QUEUE_VISIBILITY).stream().map(EventSourceMapping::toSqsMessage).toList();
    }

    Delivery invoke(List<SqsMessage> batch) {
        return invoke(batch, Duration.ofMinutes(15));
    }

    Delivery invoke(List<SqsMessage> batch, Duration lambdaTimeLeft) {
        Instant deadline = clock.instant().plus(lambdaTimeLeft);
        BatchItemFailures response = BatchProcessor.sqs("worker.message-failed",
                context -> message -> runner.process(message, deadline)).process(batch, null);
        Delivery delivery = new Delivery(batch, response);
        Set<String> failed = delivery.failedMessageIds();
        batch.stream().filter(m -> !failed.contains(m.messageId())).forEach(m -> queue.delete(m.receiptHandle()));
        return delivery;
    }

    static SqsMessage toSqsMessage(ReceivedMessage received) {
        return message(received.messageId(), received.receiptHandle(), received.body(), received.receiveCount());
    }

    /** A message that was never in the in-memory queue (a body the queue port cannot send). */
    static SqsMessage raw(String messageId, String body, int receiveCount) {
        return message(messageId, "receipt-" + messageId, body, receiveCount);
    }

    private static SqsMessage message(String id, String receipt, String body, int receiveCount) {
        return new SqsMessage(id, receipt, body, Map.of("ApproximateReceiveCount", Integer.toString(receiveCount),
                "SentTimestamp", "1772366400000"));
    }
}
