package io.jobway.aws;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobway.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An SQS event-source batch, read and its partial batch response written with the function's own Jackson. The
 * SQS-triggered functions take the raw event so that Lambda's runtime never loads its own event serializer (its
 * shaded Jackson, some 700 classes, about a third of a second of a cold start). It reads what Jobway uses of a
 * message: id, receipt handle, body, system attributes, and where it came from; not message attributes.
 */
public final class SqsBatchPayload {
    private SqsBatchPayload() {
    }

    /** The batch an SQS event carries; an event of another shape is refused, naming what is wrong. */
    public static SQSEvent read(InputStream event) throws IOException {
        JsonNode root = Json.readTree(event);
        if (root == null || !root.isObject() || !root.path("Records").isArray()) {
            throw new IllegalArgumentException("not an SQS event: expected a JSON object with a Records array");
        }
        List<SQSEvent.SQSMessage> messages = new ArrayList<>();
        for (JsonNode record : root.get("Records")) {
            String messageId = Json.text(record, "messageId");
            if (messageId == null) {
                throw new IllegalArgumentException("not an SQS event: record " + messages.size() + " has no messageId");
            }
            var message = new SQSEvent.SQSMessage();
            message.setMessageId(messageId);
            message.setReceiptHandle(Json.text(record, "receiptHandle"));
            message.setBody(Json.text(record, "body"));
            message.setMd5OfBody(Json.text(record, "md5OfBody"));
            message.setEventSource(Json.text(record, "eventSource"));
            message.setEventSourceArn(Json.text(record, "eventSourceARN"));
            message.setAwsRegion(Json.text(record, "awsRegion"));
            message.setAttributes(Json.strings(record.get("attributes")));
            messages.add(message);
        }
        var batch = new SQSEvent();
        batch.setRecords(messages);
        return batch;
    }

    /** The partial batch response as Lambda reads it: the ids of the messages to retry. */
    public static void write(SQSBatchResponse response, OutputStream out) throws IOException {
        BatchItemFailures.write(response.getBatchItemFailures().stream()
                .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList(), out);
    }

    /** A one-message event as the event source sends it, for SnapStart priming (the message's first delivery). */
    public static byte[] primingEvent(String body) {
        ObjectNode record = Json.object().put("messageId", "snapstart-priming")
                .put("receiptHandle", "snapstart-priming").put("body", body);
        record.putObject("attributes").put("ApproximateReceiveCount", "1");
        ObjectNode event = Json.object();
        event.putArray("Records").add(record);
        return Json.write(event).getBytes(StandardCharsets.UTF_8);
    }
}
