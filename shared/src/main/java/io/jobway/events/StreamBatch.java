package io.jobway.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A DynamoDB stream batch, read with the function's own Jackson. The images are decoded once, from the event's
 * typed JSON ({@code {"S":"..."}}, {@code {"BS":["<base64>"]}}, ...) straight into the SDK's {@link AttributeValue}s
 * that {@code JobItemMapper.fromItem} reads. It reads the event name, the sequence number, the key and the images;
 * not where the record came from, its size, time or view type, nor a TTL deletion's user identity.
 */
public final class StreamBatch {
    private StreamBatch() {
    }

    /** The records a stream event carries, in stream order; an event of another shape is refused, naming what is wrong. */
    public static List<StreamRecord> read(InputStream event) throws IOException {
        JsonNode root = Json.readTree(event);
        if (root == null || !root.isObject() || !root.path("Records").isArray()) {
            throw new IllegalArgumentException(
                    "not a DynamoDB stream event: expected a JSON object with a Records array");
        }
        List<StreamRecord> records = new ArrayList<>();
        for (JsonNode node : root.get("Records")) {
            JsonNode change = node.get("dynamodb");
            if (change == null || !change.isObject()) {
                records.add(new StreamRecord(Json.text(node, "eventName"), null, null, null, null));
            } else {
                records.add(new StreamRecord(Json.text(node, "eventName"), Json.text(change, "SequenceNumber"),
                        image(change.get("Keys")), image(change.get("NewImage")), image(change.get("OldImage"))));
            }
        }
        return records;
    }

    private static Map<String, AttributeValue> image(JsonNode image) {
        if (image == null || !image.isObject()) {
            return null;
        }
        Map<String, AttributeValue> attributes = new LinkedHashMap<>();
        image.properties().forEach(e -> attributes.put(e.getKey(), value(e.getValue())));
        return attributes;
    }

    /** One typed value: {"S": ...}, {"N": ...}, {"M": {...}}, and so on. */
    private static AttributeValue value(JsonNode typed) {
        if (typed.has("S")) {
            return AttributeValue.fromS(typed.get("S").asText());
        } else if (typed.has("N")) {
            return AttributeValue.fromN(typed.get("N").asText());
        } else if (typed.has("B")) {
            return AttributeValue.fromB(bytes(typed.get("B")));
        } else if (typed.has("SS")) {
            return AttributeValue.fromSs(texts(typed.get("SS")));
        } else if (typed.has("NS")) {
            return AttributeValue.fromNs(texts(typed.get("NS")));
        } else if (typed.has("BS")) {
            List<SdkBytes> all = new ArrayList<>();
            typed.get("BS").forEach(b -> all.add(bytes(b)));
            return AttributeValue.fromBs(all);
        } else if (typed.has("M")) {
            Map<String, AttributeValue> map = image(typed.get("M"));
            return AttributeValue.fromM(map == null ? Map.of() : map);
        } else if (typed.has("L")) {
            List<AttributeValue> all = new ArrayList<>();
            typed.get("L").forEach(v -> all.add(value(v)));
            return AttributeValue.fromL(all);
        } else if (typed.has("BOOL")) {
            return AttributeValue.fromBool(typed.get("BOOL").asBoolean());
        } else if (typed.has("NULL")) {
            return AttributeValue.fromNul(typed.get("NULL").asBoolean());
        }
        throw new IllegalArgumentException("not a DynamoDB attribute value: " + typed);
    }

    private static SdkBytes bytes(JsonNode base64) {
        return SdkBytes.fromByteArrayUnsafe(Base64.getDecoder().decode(base64.asText()));
    }

    private static List<String> texts(JsonNode array) {
        List<String> all = new ArrayList<>();
        array.forEach(v -> all.add(v.asText()));
        return all;
    }
}
