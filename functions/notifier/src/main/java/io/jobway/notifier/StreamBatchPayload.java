package io.jobway.notifier;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.aws.BatchItemFailures;
import io.jobway.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A DynamoDB stream batch, read into the event library's records, and its partial batch response written, with the
 * function's own Jackson: Lambda's runtime then never loads its event serializer (about a third of a second of a
 * cold start, which the first status change after an idle spell waits for). It reads the whole record except the
 * user identity of a TTL deletion, which the notifier does not use.
 */
final class StreamBatchPayload {
    private StreamBatchPayload() {
    }

    /** The records a stream event carries; an event of another shape is refused, naming what is wrong. */
    static DynamodbEvent read(InputStream event) throws IOException {
        JsonNode root = Json.readTree(event);
        if (root == null || !root.isObject() || !root.path("Records").isArray()) {
            throw new IllegalArgumentException(
                    "not a DynamoDB stream event: expected a JSON object with a Records array");
        }
        List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>();
        for (JsonNode node : root.get("Records")) {
            var record = new DynamodbEvent.DynamodbStreamRecord();
            record.setEventID(Json.text(node, "eventID"));
            record.setEventName(Json.text(node, "eventName"));
            record.setEventVersion(Json.text(node, "eventVersion"));
            record.setEventSource(Json.text(node, "eventSource"));
            record.setAwsRegion(Json.text(node, "awsRegion"));
            record.setEventSourceARN(Json.text(node, "eventSourceARN"));
            JsonNode change = node.get("dynamodb");
            if (change != null && change.isObject()) {
                record.setDynamodb(streamRecord(change));
            }
            records.add(record);
        }
        var batch = new DynamodbEvent();
        batch.setRecords(records);
        return batch;
    }

    /** The partial batch response as Lambda reads it: the sequence number to deliver again from, if any. */
    static void write(StreamsEventResponse response, OutputStream out) throws IOException {
        BatchItemFailures.write(response.getBatchItemFailures().stream()
                .map(StreamsEventResponse.BatchItemFailure::getItemIdentifier).toList(), out);
    }

    private static StreamRecord streamRecord(JsonNode change) {
        var record = new StreamRecord();
        record.setKeys(image(change.get("Keys")));
        record.setNewImage(image(change.get("NewImage")));
        record.setOldImage(image(change.get("OldImage")));
        record.setSequenceNumber(Json.text(change, "SequenceNumber"));
        if (change.path("SizeBytes").isNumber()) {
            record.setSizeBytes(change.get("SizeBytes").asLong());
        }
        String viewType = Json.text(change, "StreamViewType");
        if (viewType != null) {
            record.setStreamViewType(StreamViewType.fromValue(viewType));
        }
        if (change.path("ApproximateCreationDateTime").isNumber()) { // epoch seconds, with a fraction
            record.setApproximateCreationDateTime(
                    new Date(Math.round(change.get("ApproximateCreationDateTime").asDouble() * 1000)));
        }
        return record;
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
        var value = new AttributeValue();
        if (typed.has("S")) {
            value.setS(typed.get("S").asText());
        } else if (typed.has("N")) {
            value.setN(typed.get("N").asText());
        } else if (typed.has("B")) {
            value.setB(bytes(typed.get("B")));
        } else if (typed.has("SS")) {
            value.setSS(texts(typed.get("SS")));
        } else if (typed.has("NS")) {
            value.setNS(texts(typed.get("NS")));
        } else if (typed.has("BS")) {
            List<ByteBuffer> all = new ArrayList<>();
            typed.get("BS").forEach(b -> all.add(bytes(b)));
            value.setBS(all);
        } else if (typed.has("M")) {
            value.setM(image(typed.get("M")));
        } else if (typed.has("L")) {
            List<AttributeValue> all = new ArrayList<>();
            typed.get("L").forEach(v -> all.add(value(v)));
            value.setL(all);
        } else if (typed.has("BOOL")) {
            value.setBOOL(typed.get("BOOL").asBoolean());
        } else if (typed.has("NULL")) {
            value.setNULL(typed.get("NULL").asBoolean());
        } else {
            throw new IllegalArgumentException("not a DynamoDB attribute value: " + typed);
        }
        return value;
    }

    private static ByteBuffer bytes(JsonNode base64) {
        return ByteBuffer.wrap(Base64.getDecoder().decode(base64.asText()));
    }

    private static List<String> texts(JsonNode array) {
        List<String> all = new ArrayList<>();
        array.forEach(v -> all.add(v.asText()));
        return all;
    }
}
