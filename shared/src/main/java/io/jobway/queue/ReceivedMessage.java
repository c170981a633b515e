package io.jobway.queue;

import java.time.Instant;

/**
 * A message read from a queue by Jobway itself (the sweeper, tests), not by an event source mapping.
 * {@code deadLetterReason} is the {@code errorType} a worker marks its dead-letter copies with (null on any other
 * message); {@code sentAt} is when it was sent to the queue it was read from, when the queue says.
 */
public record ReceivedMessage(String messageId, String body, String receiptHandle, int receiveCount,
                              String deadLetterReason, Instant sentAt) {
    public ReceivedMessage(String messageId, String body, String receiptHandle, int receiveCount) {
        this(messageId, body, receiptHandle, receiveCount, null, null);
    }
}
