package io.jobway.queue;

import io.jobway.job.JobError;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The in-memory twin of {@link SqsJobQueue} for tests: visibility and receive counts follow the clock. */
public final class InMemoryJobQueue implements JobQueue {
    private final Clock clock;
    private final Queue jobs = new Queue();
    private final Queue deadLetters = new Queue();

    public InMemoryJobQueue(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void send(JobMessage message, Duration delay) {
        jobs.add(message.toBody(), clock.instant().plus(delay));
    }

    @Override
    public synchronized java.util.Set<Integer> sendAll(List<JobMessage> messages, List<Duration> delays) {
        for (int i = 0; i < messages.size(); i++) {
            send(messages.get(i), delays.get(i));
        }
        return java.util.Set.of();
    }

    @Override
    public synchronized void changeVisibility(String receiptHandle, Duration duration) {
        jobs.hide(receiptHandle, clock.instant().plus(duration));
    }

    @Override
    public synchronized void changeVisibility(List<String> receiptHandles, Duration duration) {
        receiptHandles.forEach(receipt -> changeVisibility(receipt, duration));
    }

    @Override
    public synchronized void sendToDeadLetter(String body, JobError reason) {
        deadLetters.add(body, clock.instant(), reason.type());
    }

    /** What SQS's redrive policy does after too many receives: the message moves as it is, with no marker. */
    public synchronized void moveToDeadLetter(String body) {
        deadLetters.add(body, clock.instant(), null);
    }

    @Override
    public synchronized List<ReceivedMessage> receive(int max, Duration visibility) {
        return jobs.receive(max, clock.instant(), visibility);
    }

    @Override
    public synchronized void delete(String receiptHandle) {
        jobs.delete(receiptHandle);
    }

    @Override
    public synchronized List<ReceivedMessage> receiveDeadLetters(int max, Duration visibility) {
        return deadLetters.receive(max, clock.instant(), visibility);
    }

    @Override
    public synchronized void deleteDeadLetter(String receiptHandle) {
        deadLetters.delete(receiptHandle);
    }

    @Override
    public synchronized void changeDeadLetterVisibility(String receiptHandle, Duration duration) {
        deadLetters.hide(receiptHandle, clock.instant().plus(duration));
    }

    /** Messages in the jobs queue, visible or not. */
    public synchronized int size() {
        return jobs.messages.size();
    }

    public synchronized int deadLetterCount() {
        return deadLetters.messages.size();
    }

    private static final class Queue {
        private final Map<String, Message> messages = new LinkedHashMap<>();

        void add(String body, Instant visibleAt) {
            add(body, visibleAt, null);
        }

        void add(String body, Instant visibleAt, String deadLetterReason) {
            String id = UUID.randomUUID().toString();
            messages.put(id, new Message(id, body, visibleAt, 0, null, deadLetterReason, visibleAt));
        }

        List<ReceivedMessage> receive(int max, Instant now, Duration visibility) {
            List<ReceivedMessage> out = new ArrayList<>();
            for (Message m : List.copyOf(messages.values())) {
                if (out.size() == max) {
                    break;
                }
                if (!m.visibleAt.isAfter(now)) {
                    Message received = new Message(m.id, m.body, now.plus(visibility), m.receiveCount + 1,
                            m.id + ":" + UUID.randomUUID(), m.deadLetterReason, m.sentAt);
                    messages.put(m.id, received);
                    out.add(new ReceivedMessage(m.id, m.body, received.receipt, received.receiveCount,
                            m.deadLetterReason, m.sentAt));
                }
            }
            return out;
        }

        void hide(String receipt, Instant until) {
            Message m = byReceipt(receipt);
            if (m != null) {
                messages.put(m.id, new Message(m.id, m.body, until, m.receiveCount, m.receipt, m.deadLetterReason,
                        m.sentAt));
            }
        }

        void delete(String receipt) {
            Message m = byReceipt(receipt);
            if (m != null) {
                messages.remove(m.id);
            }
        }

        private Message byReceipt(String receipt) {
            return messages.values().stream().filter(m -> receipt.equals(m.receipt)).findFirst().orElse(null);
        }
    }

    private record Message(String id, String body, Instant visibleAt, int receiveCount, String receipt,
                           String deadLetterReason, Instant sentAt) {
    }
}
