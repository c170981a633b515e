package io.jobway.worker;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import io.jobway.fixtures.TestClock;
import io.jobway.job.Job;
import io.jobway.queue.InMemoryJobQueue;
import io.jobway.queue.JobMessage;
import io.jobway.queue.ReceivedMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What Lambda's SQS event source mapping does, over the in-memory queue: receive up to ten visible messages
 * with the queue's visibility timeout, invoke the worker with a real {@link SQSEvent}, and delete every message
 * the response does not list as a batch item failure. Failed messages keep whatever visibility the worker set.
 */
final class EventSourceMapping {
    /** template.yaml's JobsQueue VisibilityTimeout. */
    static final Duration QUEUE_VISIBILITY = Duration.ofSeconds(5400);
    static final String QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:jobway-JobsQueue";

    private final InMemoryJobQueue queue;
    private final JobRunner runner;
    private final TestClock clock;

    EventSourceMapping(InMemoryJobQueue queue, JobRunner runner, TestClock clock) {
        this.queue = queue;
        this.runner = runner;
        this.clock = clock;
    }

    record Delivery(List<SQSMessage> messages, SQSBatchResponse response) {
        Set<String> failedMessageIds() {
            return response.getBatchItemFailures().stream()
                    .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).collect(Collectors.toSet());
        }

        /** The id of the message in this batch that carries the job. */
        String messageIdOf(Job job) {
            return messages.stream()
                    .filter(m -> JobMessage.parse(m.getBody()).map(j -> j.jobId().equals(job.jobId())).orElse(false))
                    .map(SQSMessage::getMessageId).findFirst()
                    .orElseThrow(() -> new AssertionError("no message for job " + job.jobId() + " in this batch"));
        }
    }

    /** One poll and invocation, with a full 15 minutes of Lambda time. No visible message: no invocation. */
    Delivery deliver() {
        return deliver(Duration.ofMinutes(15));
    }

    Delivery deliver(Duration lambdaTimeLeft) {
        List<SQSMessage> batch = receiveBatch();
        return batch.isEmpty() ? new Delivery(List.of(), new SQSBatchResponse(List.of())) : invoke(batch, lambdaTimeLeft);
    }

    List<SQSMessage> receiveBatch() {
        return queue.receive(10, QUEUE_VISIBILITY).stream().map(EventSourceMapping::toSqsMessage).toList();
    }

    Delivery invoke(List<SQSMessage> batch) {
        return invoke(batch, Duration.ofMinutes(15));
    }

    Delivery invoke(List<SQSMessage> batch, Duration lambdaTimeLeft) {
        SQSEvent event = new SQSEvent();
        event.setRecords(batch);
        SQSBatchResponse response = runner.run(event, clock.instant().plus(lambdaTimeLeft));
        Delivery delivery = new Delivery(batch, response);
        Set<String> failed = delivery.failedMessageIds();
        batch.stream().filter(m -> !failed.contains(m.getMessageId())).forEach(m -> queue.delete(m.getReceiptHandle()));
        return delivery;
    }

    static SQSMessage toSqsMessage(ReceivedMessage received) {
        return message(received.messageId(), received.receiptHandle(), received.body(), received.receiveCount());
    }

    /** A message that was never in the in-memory queue (a body the queue port cannot send). */
    static SQSMessage raw(String messageId, String body, int receiveCount) {
        return message(messageId, "receipt-" + messageId, body, receiveCount);
    }

    private static SQSMessage message(String id, String receipt, String body, int receiveCount) {
        SQSMessage m = new SQSMessage();
        m.setMessageId(id);
        m.setReceiptHandle(receipt);
        m.setBody(body);
        m.setAttributes(Map.of("ApproximateReceiveCount", Integer.toString(receiveCount),
                "SentTimestamp", "1772366400000"));
        m.setEventSource("aws:sqs");
        m.setEventSourceArn(QUEUE_ARN);
        m.setAwsRegion("us-east-1");
        return m;
    }
}
