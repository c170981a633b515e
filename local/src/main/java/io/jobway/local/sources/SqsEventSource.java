package io.jobway.local.sources;

import io.jobway.events.BatchItemFailures;
import io.jobway.local.lambda.LambdaEvents;
import io.jobway.local.lambda.LocalFunction;
import io.jobway.obs.Log;
import io.jobway.queue.SqsJobQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * An SQS event source mapping as Lambda runs it: up to {@code maxConcurrency} pollers, each receiving a batch
 * (batch size, batching window), invoking the function, and deleting what the partial batch response does not
 * name. A failed invocation deletes nothing: the messages come back after their visibility timeout.
 */
public final class SqsEventSource {
    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final int batchSize;
    private final Duration batchingWindow;
    private final int maxConcurrency;
    private final LocalFunction function;
    /**
     * SQS's longest long poll, as Lambda's pollers use: an idle queue costs one receive per poller per 20 s (with
     * 1 s polls, the runtime's 16 pollers were a third of its idle CPU; docs/BENCHMARKS.md, "Idle CPU").
     */
    static final int LONG_POLL_SECONDS = 20;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    /** Pollers waiting in a long poll: stop() interrupts them, so it never waits out a 20 s receive. */
    private final Set<Thread> receiving = ConcurrentHashMap.newKeySet();
    private final List<Thread> pollers = new ArrayList<>();
    private volatile boolean running;
    /** Set when stop() gave up waiting: late results of abandoned invocations must not delete anything. */
    private volatile boolean released;

    public SqsEventSource(SqsClient sqs, String queueUrl, String queueArn, int batchSize, Duration batchingWindow,
                          int maxConcurrency, LocalFunction function) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.queueArn = queueArn;
        this.batchSize = batchSize;
        this.batchingWindow = batchingWindow;
        this.maxConcurrency = maxConcurrency;
        this.function = function;
    }

    public void start() {
        running = true;
        for (int i = 0; i < maxConcurrency; i++) {
            pollers.add(Thread.ofVirtual().name(function.name() + "-poller-" + i).start(this::poll));
        }
    }

    /**
     * Stops receiving, lets invocations in progress finish for up to {@code grace}, then hands the messages of
     * any still running back to the queue at once so nothing waits out a long visibility timeout.
     */
    public void stop(Duration grace) throws InterruptedException {
        running = false;
        receiving.forEach(Thread::interrupt);
        long deadline = System.nanoTime() + grace.toNanos();
        for (Thread poller : pollers) {
            poller.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        }
        released = true;
        List<String> receipts = List.copyOf(inFlight);
        try {
            new SqsJobQueue(sqs, queueUrl, null).changeVisibility(receipts, Duration.ZERO);
        } catch (RuntimeException e) {
            // the queue does not answer: give up (a restart on the data directory releases them anyway)
            Log.warn("local.sqs-release-failed", "function", function.name(), "messages", receipts.size(),
                    "error", e.toString());
        }
        pollers.forEach(Thread::interrupt);
    }

    private void poll() {
        while (running) {
            try {
                List<Message> batch = receiveBatch();
                if (!batch.isEmpty()) {
                    deliver(batch);
                }
            } catch (RuntimeException e) {
                if (running && !Thread.currentThread().isInterrupted()) {
                    Log.warn("local.sqs-poll-failed", "function", function.name(), "error", e.toString());
                    sleep(Duration.ofSeconds(1));
                }
            }
        }
    }

    /**
     * A long poll for the first messages, then, within the batching window, more receives until the batch is
     * full or the window closes, as Lambda gathers a batch.
     */
    private List<Message> receiveBatch() {
        List<Message> batch = new ArrayList<>(receive(Math.min(10, batchSize), LONG_POLL_SECONDS));
        long windowEnd = System.nanoTime() + batchingWindow.toNanos();
        long left;
        while (running && !batch.isEmpty() && batch.size() < batchSize && (left = windowEnd - System.nanoTime()) > 0) {
            // SQS waits in whole seconds, and answers as soon as a message is there
            int waitSeconds = (int) Math.min(LONG_POLL_SECONDS, (left + 999_999_999L) / 1_000_000_000L);
            batch.addAll(receive(Math.min(10, batchSize - batch.size()), waitSeconds));
        }
        return batch;
    }

    private List<Message> receive(int max, int waitSeconds) {
        Thread self = Thread.currentThread();
        receiving.add(self);
        try {
            if (!running) {
                return List.of();
            }
            return sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(max).waitTimeSeconds(waitSeconds)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                    .messageAttributeNames("All")).messages();
        } finally {
            receiving.remove(self);
        }
    }

    private void deliver(List<Message> batch) {
        batch.forEach(m -> inFlight.add(m.receiptHandle()));
        try {
            Set<String> failed = Set.copyOf(
                    BatchItemFailures.read(function.invokeForJson(LambdaEvents.sqs(batch, queueArn))).itemIdentifiers());
            List<DeleteMessageBatchRequestEntry> done = batch.stream()
                    .filter(m -> !failed.contains(m.messageId()))
                    .map(m -> DeleteMessageBatchRequestEntry.builder().id(m.messageId())
                            .receiptHandle(m.receiptHandle()).build())
                    .toList();
            if (!done.isEmpty() && !released) {
                sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(done));
            }
        } catch (RuntimeException e) {
            Log.error("local.invoke-failed", "function", function.name(), "error", e.toString());
        } finally {
            batch.forEach(m -> inFlight.remove(m.receiptHandle()));
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
