package io.jobway.queue;

import io.jobway.job.JobError;
import java.time.Duration;
import java.util.List;

/** The jobs queue and its dead-letter queue. */
public interface JobQueue {
    /** Enqueues a job's message, hidden for {@code delay} (at most 15 minutes). */
    void send(JobMessage message, Duration delay);

    /**
     * Enqueues many jobs' messages, message i hidden for {@code delays.get(i)}, ten to a call. Returns the indexes
     * of the messages that were not enqueued.
     */
    java.util.Set<Integer> sendAll(List<JobMessage> messages, List<Duration> delays);

    /** Hides a received message of the jobs queue for {@code duration} (at most 12 hours). */
    void changeVisibility(String receiptHandle, Duration duration);

    /** Hides received messages of the jobs queue for {@code duration}, in as few calls as SQS allows (10 each). */
    void changeVisibility(List<String> receiptHandles, Duration duration);

    /** Puts a message in the dead-letter queue with the reason it died, as message attributes. */
    void sendToDeadLetter(String body, JobError reason);

    /** Reads messages from the jobs queue (tests and tools; in AWS the event source mapping reads it). */
    List<ReceivedMessage> receive(int max, Duration visibility);

    void delete(String receiptHandle);

    List<ReceivedMessage> receiveDeadLetters(int max, Duration visibility);

    void deleteDeadLetter(String receiptHandle);

    /** Hides a received dead-letter message for {@code duration}. */
    void changeDeadLetterVisibility(String receiptHandle, Duration duration);
}
