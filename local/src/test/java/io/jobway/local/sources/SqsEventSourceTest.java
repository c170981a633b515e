package io.jobway.local.sources;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.jobway.local.emulator.EmbeddedSqs;
import io.jobway.local.emulator.EmulatorClients;
import io.jobway.local.lambda.LocalFunction;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The SQS event source mapping behaves as Lambda's: batches, partial batch responses, maximum concurrency. */
class SqsEventSourceTest {
    private static EmbeddedSqs emulator;
    private static SqsClient sqs;

    @BeforeAll
    static void start() {
        emulator = EmbeddedSqs.startInMemory(0);
        sqs = EmulatorClients.sqs(emulator.endpoint());
    }

    @AfterAll
    static void stop() {
        sqs.close();
        emulator.stop();
    }

    /** Records each batch; fails the messages whose body starts with "bad". */
    static final class Recorder implements RequestHandler<SQSEvent, SQSBatchResponse> {
        final List<List<String>> batches = new CopyOnWriteArrayList<>();
        final Map<String, Integer> deliveries = new ConcurrentHashMap<>();
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger maxRunning = new AtomicInteger();
        volatile Duration work = Duration.ZERO;
        volatile boolean throwEverything;

        @Override
        public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Thread.sleep(work);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                running.decrementAndGet();
            }
            batches.add(event.getRecords().stream().map(SQSEvent.SQSMessage::getBody).toList());
            event.getRecords().forEach(m -> deliveries.merge(m.getBody(), 1, Integer::sum));
            if (throwEverything) {
                throw new IllegalStateException("the whole invocation fails");
            }
            return new SQSBatchResponse(event.getRecords().stream().filter(m -> m.getBody().startsWith("bad"))
                    .map(m -> new SQSBatchResponse.BatchItemFailure(m.getMessageId())).toList());
        }
    }

    private String newQueue(int visibilitySeconds) {
        return sqs.createQueue(b -> b.queueName("q" + System.nanoTime()).attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(visibilitySeconds)))).queueUrl();
    }

    private SqsEventSource source(String url, int batchSize, int concurrency, Recorder recorder) {
        return source(url, batchSize, Duration.ZERO, concurrency, recorder);
    }

    private SqsEventSource source(String url, int batchSize, Duration window, int concurrency, Recorder recorder) {
        return new SqsEventSource(sqs, url, "arn:aws:sqs:us-east-1:000000000000:test", batchSize, window,
                concurrency, LocalFunction.of("Recorder", 30, recorder));
    }

    private void send(String url, String... bodies) {
        for (String body : bodies) {
            sqs.sendMessage(b -> b.queueUrl(url).messageBody(body));
        }
    }

    private int messagesLeft(String url) {
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes().values().stream()
                .mapToInt(Integer::parseInt).sum();
    }

    @Test
    void only_the_messages_a_partial_batch_response_names_are_kept_and_delivered_again() throws Exception {
        String url = newQueue(1);
        Recorder recorder = new Recorder();
        SqsEventSource source = source(url, 10, 1, recorder);
        send(url, "ok-1", "bad-1", "ok-2", "bad-2", "ok-3");

        source.start();
        await(() -> recorder.deliveries.getOrDefault("bad-1", 0) >= 2 && recorder.deliveries.getOrDefault("bad-2", 0) >= 2);
        source.stop(Duration.ofSeconds(5));

        assertThat(recorder.deliveries).containsEntry("ok-1", 1).containsEntry("ok-2", 1).containsEntry("ok-3", 1);
        assertThat(messagesLeft(url)).isEqualTo(2);
    }

    @Test
    void messages_that_arrive_within_the_batching_window_go_in_one_batch() throws Exception {
        String url = newQueue(30);
        Recorder recorder = new Recorder();
        SqsEventSource source = source(url, 10, Duration.ofSeconds(3), 1, recorder);
        source.start();
        send(url, "first");
        Thread.sleep(500);
        send(url, "second", "third");

        await(() -> recorder.deliveries.size() == 3);
        source.stop(Duration.ofSeconds(5));

        assertThat(recorder.batches).containsExactly(List.of("first", "second", "third"));
    }

    @Test
    void without_a_batching_window_the_first_message_is_delivered_alone_at_once() throws Exception {
        String url = newQueue(30);
        Recorder recorder = new Recorder();
        SqsEventSource source = source(url, 10, Duration.ZERO, 1, recorder);
        source.start();
        send(url, "first");
        await(() -> recorder.deliveries.size() == 1);
        send(url, "second");

        await(() -> recorder.deliveries.size() == 2);
        source.stop(Duration.ofSeconds(5));

        assertThat(recorder.batches).containsExactly(List.of("first"), List.of("second"));
    }

    @Test
    void a_failed_invocation_deletes_nothing() throws Exception {
        String url = newQueue(30);
        Recorder recorder = new Recorder();
        recorder.throwEverything = true;
        SqsEventSource source = source(url, 10, 1, recorder);
        send(url, "a", "b", "c");

        source.start();
        await(() -> recorder.deliveries.size() == 3);
        source.stop(Duration.ofSeconds(5));

        assertThat(messagesLeft(url)).isEqualTo(3);
    }

    @Test
    void batches_never_exceed_the_batch_size_and_invocations_never_exceed_the_maximum_concurrency()
            throws Exception {
        String url = newQueue(30);
        Recorder recorder = new Recorder();
        recorder.work = Duration.ofMillis(300);
        SqsEventSource source = source(url, 2, 3, recorder);
        for (int i = 0; i < 24; i++) {
            send(url, "m" + i);
        }

        source.start();
        await(() -> recorder.deliveries.size() == 24);
        source.stop(Duration.ofSeconds(5));

        assertThat(recorder.batches).allSatisfy(batch -> assertThat(batch).hasSizeLessThanOrEqualTo(2));
        assertThat(recorder.maxRunning.get()).isBetween(2, 3);
        assertThat(messagesLeft(url)).isZero();
    }

    @Test
    void stopping_hands_the_messages_of_an_unfinished_invocation_back_at_once() throws Exception {
        String url = newQueue(3600);
        Recorder recorder = new Recorder();
        recorder.work = Duration.ofSeconds(5);
        SqsEventSource source = source(url, 10, 1, recorder);
        send(url, "slow");

        source.start();
        await(() -> recorder.running.get() == 1);
        source.stop(Duration.ofMillis(200));

        var again = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(2)).messages();
        assertThat(again).extracting(m -> m.body()).containsExactly("slow");
        await(() -> recorder.running.get() == 0); // the abandoned invocation ends: it must not delete
        Thread.sleep(500);
        assertThat(messagesLeft(url)).isEqualTo(1);
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        Instant end = Instant.now().plusSeconds(20);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(50);
        }
    }
}
