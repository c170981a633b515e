package io.jobway.local.sources;

import static io.jobway.local.sources.SqsEventSourceTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.jobway.json.Json;
import io.jobway.local.emulator.EmbeddedDynamo;
import io.jobway.local.emulator.EmbeddedSqs;
import io.jobway.local.emulator.EmulatorClients;
import io.jobway.local.chaos.StreamFaults;
import io.jobway.local.lambda.LocalFunction;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The DynamoDB stream mapping behaves as Lambda's: records arrive in order, read with Lambda's serializer
 * (PascalCase images, second-based timestamps); a partial batch response retries from the failed record; a
 * poison record is bisected out, retried to the limit and reported to the on-failure queue, and the shard
 * moves on.
 */
class StreamEventSourceTest {
    private EmbeddedDynamo dynamoEmulator;
    private EmbeddedSqs sqsEmulator;
    private DynamoDbClient dynamo;
    private DynamoDbStreamsClient streams;
    private SqsClient sqs;
    private String streamArn;
    private String failureQueue;
    private StreamEventSource source;

    /** Throws on batches holding a "poison" item; reports the first "flaky" item once as failed. */
    static final class Recorder implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
        final List<String> seen = new CopyOnWriteArrayList<>();
        final Set<String> failedOnce = ConcurrentHashMap.newKeySet();
        final List<Double> creationTimes = new CopyOnWriteArrayList<>();

        @Override
        public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
            for (DynamodbEvent.DynamodbStreamRecord record : event.getRecords()) {
                String id = record.getDynamodb().getNewImage().get("id").getS();
                if (id.startsWith("poison")) {
                    throw new IllegalStateException("cannot handle " + id);
                }
            }
            for (DynamodbEvent.DynamodbStreamRecord record : event.getRecords()) {
                String id = record.getDynamodb().getNewImage().get("id").getS();
                if (id.startsWith("flaky") && failedOnce.add(id)) {
                    return new StreamsEventResponse(List.of(new StreamsEventResponse.BatchItemFailure(
                            record.getDynamodb().getSequenceNumber())));
                }
                seen.add(id);
                creationTimes.add((double) record.getDynamodb().getApproximateCreationDateTime().getTime());
            }
            return new StreamsEventResponse(List.of());
        }
    }

    /** Blocks on the item "slow" until released; notes every item as id:version. */
    static final class LaneRecorder implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
        final java.util.concurrent.CountDownLatch slowRelease = new java.util.concurrent.CountDownLatch(1);
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
            for (DynamodbEvent.DynamodbStreamRecord record : event.getRecords()) {
                var image = record.getDynamodb().getNewImage();
                String id = image.get("id").getS();
                if (id.equals("slow")) {
                    try {
                        slowRelease.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                seen.add(id + ":" + image.get("v").getN());
            }
            return new StreamsEventResponse(List.of());
        }
    }

    @BeforeEach
    void start() {
        dynamoEmulator = EmbeddedDynamo.startInMemory(0);
        sqsEmulator = EmbeddedSqs.startInMemory(0);
        dynamo = EmulatorClients.dynamo(dynamoEmulator.endpoint());
        streams = EmulatorClients.streams(dynamoEmulator.endpoint());
        sqs = EmulatorClients.sqs(sqsEmulator.endpoint());
        streamArn = dynamo.createTable(b -> b.tableName("items").billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(AttributeDefinition.builder().attributeName("id")
                                .attributeType(ScalarAttributeType.S).build())
                        .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                        .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)))
                .tableDescription().latestStreamArn();
        failureQueue = sqs.createQueue(b -> b.queueName("on-failure")).queueUrl();
    }

    @AfterEach
    void stop() throws InterruptedException {
        source.stop(Duration.ofSeconds(2));
        dynamo.close();
        streams.close();
        sqs.close();
        dynamoEmulator.stop();
        sqsEmulator.stop();
    }

    private Recorder startSource(int batchSize) {
        Recorder recorder = new Recorder();
        source = new StreamEventSource(streams, sqs, streamArn, batchSize, 1, true, 2, failureQueue,
                LocalFunction.of("Recorder", 30, recorder), dynamoEmulator.writes(), null, StreamFaults.NONE);
        source.start();
        return recorder;
    }

    private void put(String id) {
        dynamo.putItem(b -> b.tableName("items").item(Map.of("id", AttributeValue.fromS(id))));
    }

    @Test
    void with_stream_faults_every_batch_is_handed_over_reversed_and_then_again_in_order() throws Exception {
        Recorder recorder = new Recorder();
        source = new StreamEventSource(streams, sqs, streamArn, 10, 1, true, 2, failureQueue,
                LocalFunction.of("Recorder", 30, recorder), dynamoEmulator.writes(), null, new StreamFaults(1, 1, 7));
        source.start();
        for (int i = 0; i < 5; i++) {
            put("item-" + i);
        }

        await(() -> recorder.seen.size() == 10);

        assertThat(recorder.seen).as("each record twice: the repeat of its batch")
                .containsOnly("item-0", "item-1", "item-2", "item-3", "item-4").hasSize(10);
        assertThat(new StreamFaults(1, 0, 7).deliveries(List.of(1, 2, 3))).containsExactly(List.of(3, 2, 1));
        assertThat(new StreamFaults(1, 1, 7).deliveries(List.of(1, 2, 3)))
                .containsExactly(List.of(3, 2, 1), List.of(1, 2, 3));
        assertThat(StreamFaults.NONE.deliveries(List.of(1, 2, 3))).containsExactly(List.of(1, 2, 3));
    }

    @Test
    void records_arrive_in_order_with_their_images_and_second_based_timestamps() throws Exception {
        Recorder recorder = startSource(10);
        for (int i = 0; i < 5; i++) {
            put("item-" + i);
        }

        await(() -> recorder.seen.size() == 5);

        assertThat(recorder.seen).containsExactly("item-0", "item-1", "item-2", "item-3", "item-4");
        // Date built from epoch seconds as Lambda sends them: a 2020s date, not 1970
        assertThat(recorder.creationTimes).allSatisfy(t -> assertThat(t).isGreaterThan(1.6e12));
    }

    @Test
    void a_restart_on_its_checkpoints_delivers_what_changed_while_it_was_down_and_nothing_twice(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path checkpoints = dir.resolve("checkpoints.json");
        LaneRecorder before = new LaneRecorder();
        before.slowRelease.countDown();
        source = new StreamEventSource(streams, sqs, streamArn, 10, 4, true, 2, failureQueue,
                LocalFunction.of("Lanes", 30, before), dynamoEmulator.writes(), checkpoints, StreamFaults.NONE);
        source.start();
        for (int i = 0; i < 20; i++) {
            putVersion("before-" + i, 1);
        }
        await(() -> before.seen.size() == 20);
        source.stop(Duration.ofSeconds(2));
        for (int i = 0; i < 5; i++) {
            putVersion("while-down-" + i, 1); // a crash's window: changed, never delivered
        }

        LaneRecorder after = new LaneRecorder();
        after.slowRelease.countDown();
        source = new StreamEventSource(streams, sqs, streamArn, 10, 4, true, 2, failureQueue,
                LocalFunction.of("Lanes", 30, after), dynamoEmulator.writes(), checkpoints, StreamFaults.NONE);
        source.start();
        putVersion("after", 1);

        await(() -> after.seen.contains("after:1"));
        await(() -> after.seen.size() >= 6);
        assertThat(after.seen).as("not the stream's end: the changes made while it was down, and none from before")
                .containsExactlyInAnyOrder("while-down-0:1", "while-down-1:1", "while-down-2:1", "while-down-3:1",
                        "while-down-4:1", "after:1");
    }

    @Test
    void a_source_resting_after_a_quiet_spell_wakes_on_the_next_write() throws Exception {
        Recorder recorder = startSource(10);
        Thread.sleep(3_000); // no write for longer than it keeps polling after one: it rests, up to 5 s a look

        long put = System.nanoTime();
        put("after-rest");
        await(() -> recorder.seen.contains("after-rest"));

        assertThat(java.time.Duration.ofNanos(System.nanoTime() - put)).isLessThan(java.time.Duration.ofSeconds(2));
    }

    @Test
    void a_partial_batch_response_retries_from_the_failed_record_only() throws Exception {
        Recorder recorder = startSource(10);
        put("a");
        put("flaky-b");
        put("c");

        await(() -> recorder.seen.size() >= 3);

        assertThat(recorder.seen).containsExactly("a", "flaky-b", "c");
    }

    @Test
    void a_poison_record_is_bisected_out_reported_and_the_shard_goes_on() throws Exception {
        Recorder recorder = startSource(10);
        put("good-1");
        put("poison-2");
        put("good-3");

        await(() -> recorder.seen.containsAll(List.of("good-1", "good-3")));
        put("good-4");
        await(() -> recorder.seen.contains("good-4"));

        var reports = sqs.receiveMessage(b -> b.queueUrl(failureQueue).waitTimeSeconds(5)).messages();
        assertThat(reports).hasSize(1);
        var info = Json.parse(reports.get(0).body()).get("DDBStreamBatchInfo");
        assertThat(info.get("batchSize").asInt()).isEqualTo(1);
        assertThat(info.get("streamArn").asText()).isEqualTo(streamArn);
        assertThat(recorder.seen).doesNotContain("poison-2");
    }

    @Test
    void with_a_parallelization_factor_a_slow_batch_holds_back_only_its_own_keys_and_each_key_stays_in_order()
            throws Exception {
        LaneRecorder handler = new LaneRecorder();
        List<String> seen = handler.seen;
        source = new StreamEventSource(streams, sqs, streamArn, 10, 4, true, 2, failureQueue,
                LocalFunction.of("Lanes", 30, handler), dynamoEmulator.writes(), null, StreamFaults.NONE);
        source.start();

        putVersion("slow", 1);
        for (int v = 1; v <= 5; v++) {
            for (int key = 0; key < 8; key++) {
                putVersion("key-" + key, v);
            }
        }

        // every key outside the slow record's lane gets through while that lane is blocked
        await(() -> seen.stream().filter(e -> e.endsWith(":5")).count() >= 2);
        assertThat(seen).doesNotContain("slow:1");
        handler.slowRelease.countDown();
        await(() -> seen.size() == 41);
        for (int key = 0; key < 8; key++) {
            String prefix = "key-" + key + ":";
            assertThat(seen.stream().filter(e -> e.startsWith(prefix)).toList())
                    .containsExactly(prefix + 1, prefix + 2, prefix + 3, prefix + 4, prefix + 5);
        }
    }

    private void putVersion(String id, int version) {
        dynamo.putItem(b -> b.tableName("items").item(Map.of("id", AttributeValue.fromS(id),
                "v", AttributeValue.fromN(Integer.toString(version)))));
    }
}
