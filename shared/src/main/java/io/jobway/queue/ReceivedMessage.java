package io.jobway.queue;

/** A message read from a queue by Jobway itself (the sweeper, tests), not by an event source mapping. */
public record ReceivedMessage(String messageId, String body, String receiptHandle, int receiveCount) {
}
