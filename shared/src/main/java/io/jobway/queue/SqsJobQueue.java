package io.jobway.queue;

import io.jobway.job.JobError;
import io.jobway.job.Priority;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * {@link JobQueue} on SQS. A message is sent to the queue of its job's priority; the calls on received messages
 * (visibility, delete) go to {@code queueUrl}, the queue they were received from.
 */
public final class SqsJobQueue implements JobQueue {
    private final SqsClient sqs;
    private final String queueUrl;
    private final Map<Priority, String> sendUrls;
    private final String deadLetterQueueUrl;

    /** One queue for every priority (tests, tools). */
    public SqsJobQueue(SqsClient sqs, String queueUrl, String deadLetterQueueUrl) {
        this(sqs, queueUrl, Map.of(Priority.HIGH, queueUrl, Priority.NORMAL, queueUrl, Priority.LOW, queueUrl),
                deadLetterQueueUrl);
    }

    public SqsJobQueue(SqsClient sqs, String queueUrl, Map<Priority, String> sendUrls, String deadLetterQueueUrl) {
        if (!sendUrls.keySet().containsAll(List.of(Priority.values()))) {
            throw new IllegalArgumentException("a queue for every priority is needed, got " + sendUrls.keySet());
        }
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.sendUrls = Map.copyOf(sendUrls);
        this.deadLetterQueueUrl = deadLetterQueueUrl;
    }

    @Override
    public void send(JobMessage message, Duration delay) {
        sqs.sendMessage(b -> b.queueUrl(sendUrls.get(message.priority())).messageBody(message.toBody())
                .delaySeconds((int) delay.toSeconds()));
    }

    @Override
    public Set<Integer> sendAll(List<JobMessage> messages, List<Duration> delays) {
        Set<Integer> failed = new TreeSet<>();
        for (Priority priority : Priority.values()) {
            List<Integer> ofPriority = new ArrayList<>();
            for (int i = 0; i < messages.size(); i++) {
                if (messages.get(i).priority() == priority) {
                    ofPriority.add(i);
                }
            }
            for (int from = 0; from < ofPriority.size(); from += 10) {
                List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
                for (int i : ofPriority.subList(from, Math.min(from + 10, ofPriority.size()))) {
                    entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i))
                            .messageBody(messages.get(i).toBody()).delaySeconds((int) delays.get(i).toSeconds())
                            .build());
                }
                try {
                    sqs.sendMessageBatch(b -> b.queueUrl(sendUrls.get(priority)).entries(entries)).failed()
                            .forEach(f -> failed.add(Integer.parseInt(f.id())));
                } catch (RuntimeException e) { // this call's ten are not enqueued; the others may be
                    entries.forEach(entry -> failed.add(Integer.parseInt(entry.id())));
                }
            }
        }
        return failed;
    }

    @Override
    public void changeVisibility(String receiptHandle, Duration duration) {
        sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(receiptHandle)
                .visibilityTimeout((int) duration.toSeconds()));
    }

    @Override
    public void changeVisibility(List<String> receiptHandles, Duration duration) {
        for (int from = 0; from < receiptHandles.size(); from += 10) {
            List<String> chunk = receiptHandles.subList(from, Math.min(from + 10, receiptHandles.size()));
            List<ChangeMessageVisibilityBatchRequestEntry> entries = new java.util.ArrayList<>();
            for (String receipt : chunk) {
                entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id("m" + entries.size())
                        .receiptHandle(receipt).visibilityTimeout((int) duration.toSeconds()).build());
            }
            var failed = sqs.changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl).entries(entries)).failed();
            if (!failed.isEmpty()) {
                throw new IllegalStateException("SQS refused to change the visibility of " + failed.size()
                        + " messages: " + failed.get(0).message());
            }
        }
    }

    /**
     * The message attribute a worker marks its dead-letter copies with (the error's type). A redrive, the console's
     * included, moves a message with its attributes, so a copy moved back to the jobs queue still carries it: that
     * is how the worker tells a redriven copy (revive the dead job) from a stale duplicate (drop it).
     */
    public static final String DEAD_LETTER_MARKER = "errorType";

    @Override
    public void sendToDeadLetter(String body, JobError reason) {
        sqs.sendMessage(b -> b.queueUrl(deadLetterQueueUrl).messageBody(body).messageAttributes(Map.of(
                DEAD_LETTER_MARKER, text(reason.type()),
                "errorMessage", text(reason.message().isEmpty() ? "-" : reason.message()))));
    }

    @Override
    public List<ReceivedMessage> receive(int max, Duration visibility) {
        return receiveFrom(queueUrl, max, visibility);
    }

    @Override
    public void delete(String receiptHandle) {
        sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(receiptHandle));
    }

    @Override
    public List<ReceivedMessage> receiveDeadLetters(int max, Duration visibility) {
        return receiveFrom(deadLetterQueueUrl, max, visibility);
    }

    @Override
    public void deleteDeadLetter(String receiptHandle) {
        sqs.deleteMessage(b -> b.queueUrl(deadLetterQueueUrl).receiptHandle(receiptHandle));
    }

    @Override
    public void changeDeadLetterVisibility(String receiptHandle, Duration duration) {
        sqs.changeMessageVisibility(b -> b.queueUrl(deadLetterQueueUrl).receiptHandle(receiptHandle)
                .visibilityTimeout((int) duration.toSeconds()));
    }

    private List<ReceivedMessage> receiveFrom(String url, int max, Duration visibility) {
        return sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(Math.min(max, 10))
                        .visibilityTimeout((int) visibility.toSeconds())
                        .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
                                MessageSystemAttributeName.SENT_TIMESTAMP)
                        .messageAttributeNames(DEAD_LETTER_MARKER))
                .messages().stream()
                .map(m -> {
                    MessageAttributeValue marker = m.messageAttributes().get(DEAD_LETTER_MARKER);
                    String sent = m.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP);
                    return new ReceivedMessage(m.messageId(), m.body(), m.receiptHandle(), Integer.parseInt(
                            m.attributes().getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1")),
                            marker == null ? null : marker.stringValue(),
                            sent == null ? null : Instant.ofEpochMilli(Long.parseLong(sent)));
                })
                .toList();
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}
