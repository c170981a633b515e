package io.jobway.events;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One message of an SQS event-source batch: what Jobway uses of it. {@code attributes} are the message's system
 * attributes as the event carries them ({@code ApproximateReceiveCount}, {@code SentTimestamp}, ...).
 */
public record SqsMessage(String messageId, String receiptHandle, String body, Map<String, String> attributes,
                         String eventSourceArn, Map<String, String> messageAttributes) {
    public SqsMessage {
        attributes = attributes == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        messageAttributes = messageAttributes == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(messageAttributes));
    }

    /** A message whose event does not say which queue it came from, without message attributes. */
    public SqsMessage(String messageId, String receiptHandle, String body, Map<String, String> attributes) {
        this(messageId, receiptHandle, body, attributes, null, null);
    }

    public SqsMessage(String messageId, String receiptHandle, String body, Map<String, String> attributes,
                      String eventSourceArn) {
        this(messageId, receiptHandle, body, attributes, eventSourceArn, null);
    }

    /** The name of the queue it came from (the ARN's last part), or null when the event does not say. */
    public String queueName() {
        return eventSourceArn == null ? null : eventSourceArn.substring(eventSourceArn.lastIndexOf(':') + 1);
    }

    /** How many times SQS has handed this message out, this delivery included; 1 when the event does not say. */
    public int receiveCount() {
        String count = attributes.get("ApproximateReceiveCount");
        return count == null ? 1 : Integer.parseInt(count);
    }
}
