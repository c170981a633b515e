package io.jobway.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import io.jobway.fixtures.FakeLambdaContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The one batch fan-out: what each mode runs, in which order and in parallel, and what Lambda is asked again. */
class BatchProcessorTest {
    private final Context context = new FakeLambdaContext("jobway-Test", Duration.ofSeconds(30));

    // ------------------------------------------------------------------------------------------------ SQS

    @Test
    void sqs_runs_every_message_at_once_each_on_its_own_virtual_thread() {
        CountDownLatch allStarted = new CountDownLatch(3);
        List<Boolean> virtual = new CopyOnWriteArrayList<>();
        var processor = BatchProcessor.sqs("test.failed", c -> message -> {
            virtual.add(Thread.currentThread().isVirtual());
            allStarted.countDown();
            return allStarted.await(10, TimeUnit.SECONDS); // done only if the other two run meanwhile
        });

        BatchItemFailures response = processor.process(List.of(message("a"), message("b"), message("c")), context);

        assertThat(response.itemIdentifiers()).isEmpty();
        assertThat(virtual).containsExactly(true, true, true);
    }

    @Test
    void sqs_asks_again_for_each_message_not_done_or_thrown_by_its_id_in_batch_order_and_for_no_other() {
        var processor = BatchProcessor.sqs("test.failed", c -> message -> switch (message.messageId()) {
            case "b" -> false;
            case "c" -> throw new IllegalStateException("the store is unreachable");
            case "d" -> throw new OutOfMemoryError("even this is the message's own failure");
            default -> true;
        });

        BatchItemFailures response = processor.process(
                List.of(message("d"), message("a"), message("c"), message("b"), message("e")), context);

        assertThat(response.itemIdentifiers()).containsExactly("d", "c", "b");
    }

    @Test
    void the_function_for_a_batch_is_made_once_per_batch_from_its_invocations_context() {
        List<Context> contexts = new CopyOnWriteArrayList<>();
        AtomicInteger made = new AtomicInteger();
        var processor = BatchProcessor.sqs("test.failed", c -> {
            contexts.add(c);
            made.incrementAndGet();
            return message -> true;
        });

        processor.process(List.of(message("a"), message("b")), context);
        processor.process(List.of(message("c")), context);

        assertThat(made).hasValue(2);
        assertThat(contexts).containsOnly(context);
    }

    @Test
    void handle_reads_the_event_bytes_and_writes_the_partial_batch_response() throws IOException {
        var processor = BatchProcessor.sqs("test.failed", c -> message -> !message.body().equals("retry me"));
        byte[] event = """
                {"Records":[{"messageId":"m-1","receiptHandle":"r-1","body":"fine"},
                            {"messageId":"m-2","receiptHandle":"r-2","body":"retry me"}]}"""
                .getBytes(StandardCharsets.UTF_8);
        var out = new ByteArrayOutputStream();

        processor.handle(new ByteArrayInputStream(event), out, context);

        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo("{\"batchItemFailures\":[{\"itemIdentifier\":\"m-2\"}]}");
    }

    // --------------------------------------------------------------------------------------------- stream

    @Test
    void stream_runs_each_keys_records_in_stream_order_and_the_keys_at_once() {
        CountDownLatch bothKeysStarted = new CountDownLatch(2);
        Map<String, List<String>> seen = new ConcurrentHashMap<>();
        var processor = BatchProcessor.stream("test.failed", r -> r.key("jobId"), c -> record -> {
            seen.computeIfAbsent(record.key("jobId"), k -> new CopyOnWriteArrayList<>()).add(record.sequenceNumber());
            bothKeysStarted.countDown();
            return bothKeysStarted.await(10, TimeUnit.SECONDS); // done only if the other key runs meanwhile
        });

        BatchItemFailures response = processor.process(List.of(record("A", "1"), record("B", "2"), record("A", "3"),
                record("A", "4"), record("B", "5")), context);

        assertThat(response.itemIdentifiers()).isEmpty();
        assertThat(seen).containsOnlyKeys("A", "B");
        assertThat(seen.get("A")).containsExactly("1", "3", "4");
        assertThat(seen.get("B")).containsExactly("2", "5");
    }

    @Test
    void stream_stops_a_key_at_its_failed_record_and_asks_again_from_the_earliest_failure_of_the_batch() {
        List<String> attempted = new CopyOnWriteArrayList<>();
        var processor = BatchProcessor.stream("test.failed", r -> r.key("jobId"), c -> record -> {
            attempted.add(record.sequenceNumber());
            return switch (record.sequenceNumber()) {
                case "3" -> throw new IllegalArgumentException("an image that cannot be read");
                case "4" -> false;
                default -> true;
            };
        });

        BatchItemFailures response = processor.process(List.of(record("A", "1"), record("B", "2"), record("A", "3"),
                record("B", "4"), record("A", "5"), record("C", "6")), context);

        assertThat(response.itemIdentifiers()).containsExactly("3");
        assertThat(attempted).containsExactlyInAnyOrder("1", "2", "3", "4", "6");
    }

    @Test
    void stream_only_logs_a_failed_record_without_a_sequence_number_and_its_key_goes_on() {
        List<String> attempted = new CopyOnWriteArrayList<>();
        var processor = BatchProcessor.stream("test.failed", r -> "one key", c -> record -> {
            attempted.add(String.valueOf(record.sequenceNumber()));
            if (record.sequenceNumber() == null) {
                throw new IllegalArgumentException("a stream record without its dynamodb section");
            }
            return true;
        });

        BatchItemFailures response = processor.process(List.of(record("A", "1"),
                new StreamRecord("MODIFY", null, null, null, null), record("A", "3")), context);

        assertThat(response.itemIdentifiers()).isEmpty();
        assertThat(attempted).containsExactly("1", "null", "3");
    }

    @Test
    void stream_records_without_a_key_are_each_a_key_of_their_own() {
        CountDownLatch bothStarted = new CountDownLatch(2);
        var processor = BatchProcessor.stream("test.failed", r -> r.key("jobId"), c -> record -> {
            bothStarted.countDown();
            return bothStarted.await(10, TimeUnit.SECONDS);
        });

        BatchItemFailures response = processor.process(List.of(
                new StreamRecord("MODIFY", "1", Map.of(), null, null),
                new StreamRecord("MODIFY", "2", Map.of(), null, null)), context);

        assertThat(response.itemIdentifiers()).isEmpty();
    }

    private static SqsMessage message(String id) {
        return new SqsMessage(id, "receipt-" + id, "{}", Map.of("ApproximateReceiveCount", "1"));
    }

    private static StreamRecord record(String jobId, String sequenceNumber) {
        Map<String, AttributeValue> keys = Map.of("jobId", AttributeValue.fromS(jobId));
        return new StreamRecord("MODIFY", sequenceNumber, keys, keys, null);
    }
}
