package io.jobway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.jobway.fixtures.LambdaEvents;
import io.jobway.fixtures.RuntimeStreamEvents;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The notifier reads its stream batches itself instead of through Lambda's runtime serializer: every record must
 * read as that serializer reads it, its images decoded once into the SDK's attribute values with every type intact,
 * and the partial batch response must read back as Lambda reads it.
 */
class StreamBatchTest {

    @ParameterizedTest
    @ValueSource(strings = {"notifier-status-change.json", "notifier-progress-change.json",
            "notifier-tombstone-insert.json"})
    void reads_each_sample_batch_as_the_runtime_serializer_does(String file) throws IOException {
        List<io.jobway.events.StreamRecord> ours;
        try (InputStream in = Files.newInputStream(LambdaEvents.path(file))) {
            ours = StreamBatch.read(in);
        }

        assertThat(ours).isNotEmpty().isEqualTo(RuntimeStreamEvents.asTheRuntimeReadsIt(
                LambdaEvents.load(file, DynamodbEvent.class)));
    }

    @Test
    void reads_every_kind_of_attribute_value_as_the_runtime_serializer_does() throws IOException {
        byte[] json = RuntimeStreamEvents.json(RuntimeStreamEvents.insertOf(everyKindOfValue()));

        List<io.jobway.events.StreamRecord> ours = StreamBatch.read(new ByteArrayInputStream(json));

        assertThat(ours).isEqualTo(RuntimeStreamEvents.asTheRuntimeReadsIt(LambdaEventSerializers
                .serializerFor(DynamodbEvent.class, getClass().getClassLoader()).fromJson(new ByteArrayInputStream(json))));
    }

    /** An item the way JobItemMapper reads it, sent by Lambda as stream JSON and read back: the same item. */
    @Test
    void an_image_with_every_kind_of_value_round_trips_into_the_sdk_item_it_was() throws IOException {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("s", AttributeValue.fromS("text"));
        item.put("n", AttributeValue.fromN("12.5"));
        item.put("b", AttributeValue.fromB(SdkBytes.fromUtf8String("bytes")));
        item.put("ss", AttributeValue.fromSs(List.of("a", "b")));
        item.put("ns", AttributeValue.fromNs(List.of("1", "2")));
        item.put("bs", AttributeValue.fromBs(List.of(SdkBytes.fromByteArray(new byte[] {1, 2}),
                SdkBytes.fromByteArray(new byte[] {3}))));
        item.put("m", AttributeValue.fromM(Map.of("inner", AttributeValue.fromBool(true),
                "bs", AttributeValue.fromBs(List.of(SdkBytes.fromByteArray(new byte[] {9}))))));
        item.put("l", AttributeValue.fromL(List.of(AttributeValue.fromS("x"), AttributeValue.fromNul(true),
                AttributeValue.fromBs(List.of(SdkBytes.fromByteArray(new byte[] {7}))))));
        item.put("emptyMap", AttributeValue.fromM(Map.of()));
        item.put("emptyList", AttributeValue.fromL(List.of()));
        item.put("bool", AttributeValue.fromBool(false));
        item.put("null", AttributeValue.fromNul(true));

        byte[] json = RuntimeStreamEvents.json(RuntimeStreamEvents.insertOf(RuntimeStreamEvents.toEvents(item)));
        Map<String, AttributeValue> read = StreamBatch.read(new ByteArrayInputStream(json)).getFirst().newImage();

        assertThat(read).isEqualTo(item);
        assertThat(read.get("bs").type()).isEqualTo(AttributeValue.Type.BS);
    }

    @Test
    void a_binary_set_reaches_the_item_mapper_as_a_binary_set_not_as_null() throws IOException {
        String event = """
                {"Records":[{"eventName":"MODIFY","dynamodb":{"Keys":{"jobId":{"S":"j"}},
                  "NewImage":{"jobId":{"S":"j"},"bs":{"BS":["AQI=","Aw=="]}},"SequenceNumber":"1"}}]}""";

        var record = StreamBatch.read(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8))).getFirst();

        assertThat(record.newImage().get("bs")).isEqualTo(AttributeValue.fromBs(List.of(
                SdkBytes.fromByteArray(new byte[] {1, 2}), SdkBytes.fromByteArray(new byte[] {3}))));
        assertThat(record.key("jobId")).isEqualTo("j");
        assertThat(record.oldImage()).as("a view without it").isNull();
    }

    @Test
    void a_record_without_its_dynamodb_section_reads_without_sequence_number_key_or_images() throws IOException {
        var record = read("{\"Records\":[{\"eventName\":\"REMOVE\"}]}").getFirst();

        assertThat(record).isEqualTo(new io.jobway.events.StreamRecord("REMOVE", null, Map.of(), null, null));
        assertThat(record.key("jobId")).isNull();
    }

    @Test
    void refuses_an_event_that_is_not_a_stream_batch_and_names_what_is_wrong() {
        assertThatThrownBy(() -> read("{\"records\":[]}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a DynamoDB stream event: expected a JSON object with a Records array");
        assertThatThrownBy(() -> read("{\"Records\":[{\"dynamodb\":{\"NewImage\":{\"a\":{\"X\":1}}}}]}"))
                .hasMessage("not a DynamoDB attribute value: {\"X\":1}");
    }

    @Test
    void the_partial_batch_response_reads_back_as_lambda_reads_it() throws IOException {
        var out = new ByteArrayOutputStream();
        new BatchItemFailures(List.of("77")).write(out);

        StreamsEventResponse read = LambdaEventSerializers.serializerFor(StreamsEventResponse.class,
                getClass().getClassLoader()).fromJson(new ByteArrayInputStream(out.toByteArray()));

        assertThat(read.getBatchItemFailures()).extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("77");
    }

    private static Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue>
            everyKindOfValue() {
        Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> image =
                new LinkedHashMap<>();
        image.put("s", value().withS("text"));
        image.put("n", value().withN("12.5"));
        image.put("b", value().withB(ByteBuffer.wrap("bytes".getBytes(StandardCharsets.UTF_8))));
        image.put("ss", value().withSS("a", "b"));
        image.put("ns", value().withNS("1", "2"));
        image.put("bs", value().withBS(ByteBuffer.wrap(new byte[] {1, 2}), ByteBuffer.wrap(new byte[] {3})));
        image.put("m", value().withM(Map.of("inner", value().withBOOL(true))));
        image.put("l", value().withL(value().withS("x"), value().withNULL(true)));
        image.put("bool", value().withBOOL(false));
        image.put("null", value().withNULL(true));
        return image;
    }

    private static com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue value() {
        return new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue();
    }

    private static List<io.jobway.events.StreamRecord> read(String json) throws IOException {
        return StreamBatch.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }
}
