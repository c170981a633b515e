package io.jobway.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobway.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An SQS event-source batch, read with the function's own Jackson. It reads what Jobway uses of a message: id,
 * receipt handle, body, system attributes, the queue it came from and its string message attributes.
 */
public final class SqsBatch {
    private SqsBatch() {
    }

    /** The messages an SQS event carries, in order; an event of another shape is refused, naming what is wrong. */
    public static List<SqsMessage> read(InputStream event) throws IOException {
        JsonNode root = Json.readTree(event);
        if (root == null || !root.isObject() || !root.path("Records").isArray()) {
            throw new IllegalArgumentException("not an SQS event: expected a JSON object with a Records array");
        }
        List<SqsMessage> messages = new ArrayList<>();
        for (JsonNode record : root.get("Records")) {
            String messageId = Json.text(record, "messageId");
            if (messageId == null) {
                throw new IllegalArgumentException("not an SQS event: record " + messages.size() + " has no messageId");
            }
            Map<String, String> messageAttributes = new LinkedHashMap<>();
            JsonNode given = record.get("messageAttributes");
            if (given != null && given.isObject()) {
                given.fields().forEachRemaining(field -> {
                    JsonNode value = field.getValue().get("stringValue");
                    if (value != null && value.isTextual()) {
                        messageAttributes.put(field.getKey(), value.asText());
                    }
                });
            }
            messages.add(new SqsMessage(messageId, Json.text(record, "receiptHandle"), Json.text(record, "body"),
                    Json.strings(record.get("attributes")), Json.text(record, "eventSourceARN"), messageAttributes));
        }
        return messages;
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
