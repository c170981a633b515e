package io.jobway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.jobway.fixtures.LambdaEvents;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SQS functions read their batches themselves instead of through Lambda's runtime serializer: each field Jobway
 * uses must read as that serializer reads it, and the partial batch response must read back as Lambda reads it.
 */
class SqsBatchTest {

    @ParameterizedTest
    @ValueSource(strings = {"worker-sqs-batch.json", "webhook-sqs-batch.json"})
    void reads_each_sample_batch_as_the_runtime_serializer_does(String file) throws IOException {
        List<SqsMessage> ours;
        try (InputStream in = Files.newInputStream(LambdaEvents.path(file))) {
            ours = SqsBatch.read(in);
        }
        SQSEvent theRuntimes = LambdaEvents.load(file, SQSEvent.class);

        assertThat(ours).isNotEmpty().isEqualTo(theRuntimes.getRecords().stream()
                .map(m -> new SqsMessage(m.getMessageId(), m.getReceiptHandle(), m.getBody(), m.getAttributes(),
                        m.getEventSourceArn()))
                .toList());
    }

    @Test
    void refuses_an_event_that_is_not_an_sqs_batch_and_names_what_is_wrong() {
        assertThatThrownBy(() -> read("{\"records\":[]}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not an SQS event: expected a JSON object with a Records array");
        assertThatThrownBy(() -> read("[]"))
                .hasMessage("not an SQS event: expected a JSON object with a Records array");
        assertThatThrownBy(() -> read("{\"Records\":[{\"messageId\":\"a\"},{\"body\":\"x\"}]}"))
                .hasMessage("not an SQS event: record 1 has no messageId");
    }

    @Test
    void the_receive_count_is_the_attribute_and_1_when_the_event_has_none() throws IOException {
        assertThat(read("{\"Records\":[{\"messageId\":\"a\",\"attributes\":{\"ApproximateReceiveCount\":\"4\"}},"
                + "{\"messageId\":\"b\"}]}")).extracting(SqsMessage::receiveCount).containsExactly(4, 1);
    }

    @Test
    void the_partial_batch_response_reads_back_as_lambda_reads_it() throws IOException {
        var out = new ByteArrayOutputStream();
        new BatchItemFailures(List.of("m-1", "m-3")).write(out);

        SQSBatchResponse read = LambdaEventSerializers.serializerFor(SQSBatchResponse.class,
                getClass().getClassLoader()).fromJson(new ByteArrayInputStream(out.toByteArray()));

        assertThat(read.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("m-1", "m-3");
    }

    @Test
    void the_priming_event_is_a_first_delivery_of_the_given_body() throws IOException {
        List<SqsMessage> event = SqsBatch.read(new ByteArrayInputStream(SqsBatch.primingEvent("{\"a\":1}")));

        assertThat(event).singleElement().satisfies(message -> {
            assertThat(message.body()).isEqualTo("{\"a\":1}");
            assertThat(message.receiveCount()).isEqualTo(1);
        });
    }

    private static List<SqsMessage> read(String json) throws IOException {
        return SqsBatch.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }
}
