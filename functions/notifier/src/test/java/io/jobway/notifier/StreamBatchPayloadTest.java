package io.jobway.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.jobway.fixtures.LambdaEvents;
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

/**
 * The notifier reads its stream batches itself instead of through Lambda's runtime serializer: every record must
 * read as that serializer reads it, and the partial batch response must read back as Lambda reads it.
 */
class StreamBatchPayloadTest {

    @ParameterizedTest
    @ValueSource(strings = {"notifier-status-change.json", "notifier-progress-change.json",
            "notifier-tombstone-insert.json"})
    void reads_each_sample_batch_as_the_runtime_serializer_does(String file) throws IOException {
        DynamodbEvent ours;
        try (InputStream in = Files.newInputStream(LambdaEvents.path(file))) {
            ours = StreamBatchPayload.read(in);
        }

        assertThat(ours.getRecords()).isNotEmpty();
        assertThat(ours).usingRecursiveComparison().ignoringFieldsMatchingRegexes(".*userIdentity")
                .isEqualTo(LambdaEvents.load(file, DynamodbEvent.class));
    }

    @Test
    void reads_every_kind_of_attribute_value_as_the_runtime_serializer_does() throws IOException {
        Map<String, AttributeValue> image = new LinkedHashMap<>();
        image.put("s", new AttributeValue().withS("text"));
        image.put("n", new AttributeValue().withN("12.5"));
        image.put("b", new AttributeValue().withB(ByteBuffer.wrap("bytes".getBytes(StandardCharsets.UTF_8))));
        image.put("ss", new AttributeValue().withSS("a", "b"));
        image.put("ns", new AttributeValue().withNS("1", "2"));
        image.put("bs", new AttributeValue().withBS(ByteBuffer.wrap(new byte[] {1, 2}), ByteBuffer.wrap(new byte[] {3})));
        image.put("m", new AttributeValue().withM(Map.of("inner", new AttributeValue().withBOOL(true))));
        image.put("l", new AttributeValue().withL(new AttributeValue().withS("x"), new AttributeValue().withNULL(true)));
        image.put("bool", new AttributeValue().withBOOL(false));
        image.put("null", new AttributeValue().withNULL(true));
        var record = new DynamodbEvent.DynamodbStreamRecord();
        record.setEventName("INSERT");
        record.setDynamodb(new StreamRecord().withKeys(Map.of("s", image.get("s"))).withNewImage(image)
                .withSequenceNumber("42").withSizeBytes(321L).withStreamViewType(StreamViewType.NEW_AND_OLD_IMAGES));
        var event = new DynamodbEvent();
        event.setRecords(List.of(record));
        byte[] json = StreamBatches.json(event);

        DynamodbEvent ours = StreamBatchPayload.read(new ByteArrayInputStream(json));

        assertThat(ours).usingRecursiveComparison().isEqualTo(LambdaEventSerializers
                .serializerFor(DynamodbEvent.class, getClass().getClassLoader()).fromJson(new ByteArrayInputStream(json)));
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
        StreamBatchPayload.write(new StreamsEventResponse(List.of(new StreamsEventResponse.BatchItemFailure("77"))),
                out);

        StreamsEventResponse read = LambdaEventSerializers.serializerFor(StreamsEventResponse.class,
                getClass().getClassLoader()).fromJson(new ByteArrayInputStream(out.toByteArray()));

        assertThat(read.getBatchItemFailures()).extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("77");
    }

    private static DynamodbEvent read(String json) throws IOException {
        return StreamBatchPayload.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }
}
