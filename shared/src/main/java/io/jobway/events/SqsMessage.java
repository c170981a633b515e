package io.jobway.events;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One message of an SQS event-source batch: what Jobway uses of it. {@code attributes} are the message's system
 * attributes as the event carries them ({@code ApproximateReceiveCount}, {@code SentTimestamp}, ...).
 */
public record SqsMessage(String messageId, String receiptHandle, String body, Map<String, String> attributes) {
    public SqsMessage {
        attributes = attributes == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** How many times SQS has handed this message out, this delivery included; 1 when the event does not say. */
    public int receiveCount() {
        String count = attributes.get("ApproximateReceiveCount");
        return count == null ? 1 : Integer.parseInt(count);
    }
}
