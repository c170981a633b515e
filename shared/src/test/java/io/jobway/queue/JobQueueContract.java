package io.jobway.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobway.fixtures.Jobs;
import io.jobway.job.JobError;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link JobQueue} must do, run against each implementation by a small subclass (in-memory here;
 * ElasticMQ, LocalStack and moto in the local module). SQS cannot be given a clock, so delays and visibility use
 * real, short durations and the tests poll for a few seconds instead of sleeping a fixed time. Every test
 * sends messages for job ids of its own and looks only at those, so a subclass may share queues between tests.
 */
public abstract class JobQueueContract {
    /** Long enough that a test sees a message hidden, short enough that waiting for it is cheap. */
    protected static final Duration SHORT = Duration.ofSeconds(1);
    /** Long enough that a message stays hidden for the rest of a test. */
    protected static final Duration LONG = Duration.ofSeconds(60);
    /** How long a test waits for a message it expects; emulators are slower than the in-memory queue. */
    protected static final Duration PATIENCE = Duration.ofSeconds(6);

    protected JobQueue queue;

    /** A queue (and its dead-letter queue) to test, fresh for each test where that is cheap. */
    protected abstract JobQueue newQueue();

    @BeforeEach
    public void setUpQueueContract() {
        queue = newQueue();
    }

    @Test
    public void send_thenReceive_returnsTheJobMessageOnce_withReceiveCountOne() {
        JobMessage message = aMessage();
        queue.send(message, Duration.ZERO);

        ReceivedMessage received = awaitOne(() -> mine(queue.receive(10, LONG), message));

        assertThat(JobMessage.parse(received.body())).contains(message);
        assertThat(received.receiveCount()).isEqualTo(1);
        assertThat(received.messageId()).isNotBlank();
        assertThat(received.receiptHandle()).isNotBlank();
    }

    @Test
    public void receive_hidesTheMessageForTheVisibilityTimeout_thenHandsItOutAgainWithAHigherReceiveCount() {
        JobMessage message = aMessage();
        queue.send(message, Duration.ZERO);
        ReceivedMessage first = awaitOne(() -> mine(queue.receive(10, SHORT), message));
        Instant hiddenAt = Instant.now();

        assertThat(mine(queue.receive(10, LONG), message)).as("hidden right after it was received").isEmpty();
        ReceivedMessage second = awaitOne(() -> mine(queue.receive(10, LONG), message));

        assertThat(Duration.between(hiddenAt, Instant.now())).isLessThan(PATIENCE);
        assertThat(second.receiveCount()).isEqualTo(first.receiveCount() + 1);
        assertThat(second.body()).isEqualTo(first.body());
    }

    @Test
    public void delete_removesTheMessageForGood() {
        JobMessage message = aMessage();
        queue.send(message, Duration.ZERO);
        ReceivedMessage received = awaitOne(() -> mine(queue.receive(10, SHORT), message));

        queue.delete(received.receiptHandle());

        assertNoneFor(SHORT.multipliedBy(2), () -> mine(queue.receive(10, LONG), message));
    }

    @Test
    public void send_withADelay_hidesTheMessageUntilTheDelayPassed() {
        JobMessage message = aMessage();
        Instant sent = Instant.now();
        queue.send(message, Duration.ofSeconds(2));

        assertThat(mine(queue.receive(10, LONG), message)).as("hidden during its delay").isEmpty();
        awaitOne(() -> mine(queue.receive(10, LONG), message));

        assertThat(Duration.between(sent, Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(1_500));
    }

    @Test
    public void changeVisibility_toZero_handsTheMessageOutAgainAtOnce() {
        JobMessage message = aMessage();
        queue.send(message, Duration.ZERO);
        ReceivedMessage received = awaitOne(() -> mine(queue.receive(10, LONG), message));

        queue.changeVisibility(received.receiptHandle(), Duration.ZERO);

        ReceivedMessage again = awaitOne(() -> mine(queue.receive(10, LONG), message));
        assertThat(again.receiveCount()).isEqualTo(2);
    }

    @Test
    public void changeVisibility_extendsTheTimeAMessageStaysHidden() {
        JobMessage message = aMessage();
        queue.send(message, Duration.ZERO);
        ReceivedMessage received = awaitOne(() -> mine(queue.receive(10, SHORT), message));

        queue.changeVisibility(received.receiptHandle(), LONG);

        assertNoneFor(SHORT.multipliedBy(2), () -> mine(queue.receive(10, LONG), message));
    }

    @Test
    public void changeVisibility_toAFewSeconds_bringsTheMessageBackAfterThem() {
        JobMessage message = aMessage();
        queue.send(message, Duration.ZERO);
        ReceivedMessage received = awaitOne(() -> mine(queue.receive(10, LONG), message));
        Instant changed = Instant.now();

        queue.changeVisibility(received.receiptHandle(), SHORT);

        awaitOne(() -> mine(queue.receive(10, LONG), message));
        assertThat(Duration.between(changed, Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(500));
    }

    @Test
    public void receive_neverReturnsMoreThanAskedFor() {
        for (int i = 0; i < 4; i++) {
            queue.send(aMessage(), Duration.ZERO);
        }

        assertThat(queue.receive(2, LONG)).hasSizeLessThanOrEqualTo(2);
    }

    @Test
    public void sendToDeadLetter_landsInTheDeadLetterQueue_notInTheJobsQueue() {
        JobMessage message = aMessage();

        queue.sendToDeadLetter(message.toBody(), new JobError("out of attempts", "JobTimeout", Instant.now()));

        ReceivedMessage dead = awaitOne(() -> mine(queue.receiveDeadLetters(10, LONG), message));
        assertThat(dead.body()).isEqualTo(message.toBody());
        assertThat(mine(queue.receive(10, LONG), message)).isEmpty();
    }

    @Test
    public void sendToDeadLetter_keepsABodyThatIsNotAJobMessage() {
        String poison = "not json at all " + Jobs.newJobId();

        queue.sendToDeadLetter(poison, new JobError("", "PoisonMessage", Instant.now()));

        ReceivedMessage dead = awaitOne(() -> queue.receiveDeadLetters(10, LONG).stream()
                .filter(m -> m.body().equals(poison)).toList());
        assertThat(dead.body()).isEqualTo(poison);
    }

    @Test
    public void deleteDeadLetter_removesItFromTheDeadLetterQueue() {
        JobMessage message = aMessage();
        queue.sendToDeadLetter(message.toBody(), new JobError("x", "T", Instant.now()));
        ReceivedMessage dead = awaitOne(() -> mine(queue.receiveDeadLetters(10, SHORT), message));

        queue.deleteDeadLetter(dead.receiptHandle());

        assertNoneFor(SHORT.multipliedBy(2), () -> mine(queue.receiveDeadLetters(10, LONG), message));
    }

    // -------------------------------------------------------------------------------------------------- helpers

    protected static JobMessage aMessage() {
        return new JobMessage(Jobs.newJobId(), 30);
    }

    /** The messages of the list that carry this test's job. */
    protected static List<ReceivedMessage> mine(List<ReceivedMessage> received, JobMessage message) {
        return received.stream().filter(m -> JobMessage.parse(m.body()).map(message::equals).orElse(false)).toList();
    }

    /** Polls until exactly one matching message comes back, within {@link #PATIENCE}. */
    protected static ReceivedMessage awaitOne(Supplier<List<ReceivedMessage>> poll) {
        Instant giveUp = Instant.now().plus(PATIENCE);
        List<ReceivedMessage> seen = new ArrayList<>();
        while (seen.isEmpty() && Instant.now().isBefore(giveUp)) {
            seen = poll.get();
            if (seen.isEmpty()) {
                pause();
            }
        }
        assertThat(seen).as("messages received within %s", PATIENCE).hasSize(1);
        return seen.get(0);
    }

    /** Polls for {@code during} and fails if a matching message comes back. */
    protected static void assertNoneFor(Duration during, Supplier<List<ReceivedMessage>> poll) {
        Instant until = Instant.now().plus(during);
        while (Instant.now().isBefore(until)) {
            assertThat(poll.get()).isEmpty();
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
