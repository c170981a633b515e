package io.jobway.local.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobway.json.Json;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.sqs.model.Message;

/** Event JSON in the exact shape Lambda's event sources send it. */
public final class LambdaEvents {
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT = "000000000000";

    private LambdaEvents() {
    }

    public static String sqs(List<Message> messages, String queueArn) {
        ObjectNode root = Json.object();
        ArrayNode records = root.putArray("Records");
        for (Message m : messages) {
            ObjectNode r = records.addObject();
            r.put("messageId", m.messageId());
            r.put("receiptHandle", m.receiptHandle());
            r.put("body", m.body());
            ObjectNode attributes = r.putObject("attributes");
            m.attributesAsStrings().forEach(attributes::put);
            ObjectNode messageAttributes = r.putObject("messageAttributes");
            m.messageAttributes().forEach((name, value) -> messageAttributes.putObject(name)
                    .put("stringValue", value.stringValue()).put("dataType", value.dataType()));
            r.put("md5OfBody", m.md5OfBody());
            r.put("eventSource", "aws:sqs");
            r.put("eventSourceARN", queueArn);
            r.put("awsRegion", regionOf(queueArn));
        }
        return Json.write(root);
    }

    public static String dynamodbStream(List<Record> streamRecords, String streamArn) {
        ObjectNode root = Json.object();
        ArrayNode records = root.putArray("Records");
        for (Record sr : streamRecords) {
            ObjectNode r = records.addObject();
            r.put("eventID", sr.eventID());
            r.put("eventName", sr.eventNameAsString());
            r.put("eventVersion", sr.eventVersion() == null ? "1.1" : sr.eventVersion());
            r.put("eventSource", "aws:dynamodb");
            r.put("awsRegion", regionOf(streamArn));
            ObjectNode d = r.putObject("dynamodb");
            var s = sr.dynamodb();
            if (s.approximateCreationDateTime() != null) {
                // Lambda sends epoch seconds (with fractions), not milliseconds.
                d.put("ApproximateCreationDateTime", s.approximateCreationDateTime().getEpochSecond());
            }
            d.set("Keys", image(s.keys()));
            if (s.hasNewImage()) {
                d.set("NewImage", image(s.newImage()));
            }
            if (s.hasOldImage()) {
                d.set("OldImage", image(s.oldImage()));
            }
            d.put("SequenceNumber", s.sequenceNumber());
            d.put("SizeBytes", s.sizeBytes());
            d.put("StreamViewType", s.streamViewTypeAsString());
            r.put("eventSourceARN", streamArn);
        }
        return Json.write(root);
    }

    /** Lambda names the event source's region: the fourth field of its ARN (arn:aws:sqs:REGION:account:name). */
    static String regionOf(String arn) {
        String[] fields = arn.split(":", 5);
        return fields.length > 3 && !fields[3].isEmpty() ? fields[3] : REGION;
    }

    private static ObjectNode image(Map<String, AttributeValue> item) {
        ObjectNode node = Json.object();
        if (item != null) {
            item.forEach((name, value) -> node.set(name, attributeValue(value)));
        }
        return node;
    }

    private static JsonNode attributeValue(AttributeValue v) {
        ObjectNode node = Json.object();
        switch (v.type()) {
            case S -> node.put("S", v.s());
            case N -> node.put("N", v.n());
            case B -> node.put("B", Base64.getEncoder().encodeToString(v.b().asByteArray()));
            case BOOL -> node.put("BOOL", v.bool());
            case NUL -> node.put("NULL", true);
            case M -> node.set("M", image(v.m()));
            case L -> {
                ArrayNode list = node.putArray("L");
                v.l().forEach(e -> list.add(attributeValue(e)));
            }
            case SS -> v.ss().forEach(node.putArray("SS")::add);
            case NS -> v.ns().forEach(node.putArray("NS")::add);
            case BS -> v.bs().forEach(b -> node.withArray("BS").add(Base64.getEncoder().encodeToString(b.asByteArray())));
            default -> throw new IllegalArgumentException("unsupported attribute value " + v);
        }
        return node;
    }

    /** HTTP API payload format 2.0. */
    public static String httpApi(HttpRequestParts request, Map<String, Object> authorizerContext) {
        ObjectNode root = httpBase(request);
        root.put("version", "2.0");
        request.queryParameters().forEach(root.withObject("queryStringParameters")::put);
        if (!request.pathParameters().isEmpty()) {
            request.pathParameters().forEach(root.withObject("pathParameters")::put);
        }
        if (authorizerContext != null) {
            root.withObject("requestContext").putObject("authorizer").set("lambda",
                    Json.mapper().valueToTree(authorizerContext));
        }
        if (request.body() != null) {
            root.put("body", request.body());
        }
        root.put("isBase64Encoded", request.body() != null && request.bodyBase64());
        return Json.write(root);
    }

    /** The HTTP API Lambda authorizer's REQUEST event, payload format 2.0. */
    public static String authorizer(HttpRequestParts request, List<String> identitySource) {
        ObjectNode root = httpBase(request);
        root.put("version", "2.0");
        root.put("type", "REQUEST");
        root.put("routeArn", "arn:aws:execute-api:" + REGION + ":" + ACCOUNT + ":local/$default/"
                + request.method() + request.path());
        identitySource.forEach(root.putArray("identitySource")::add);
        return Json.write(root);
    }

    /**
     * A WebSocket API event ({@code eventType} CONNECT, MESSAGE or DISCONNECT) as API Gateway sends it to a
     * Lambda proxy integration.
     */
    public static String webSocket(String routeKey, String eventType, String connectionId, String stage,
                                   Map<String, String> headers, Map<String, String> query, String body,
                                   long connectedAt) {
        ObjectNode root = Json.object();
        if (headers != null) {
            headers.forEach(root.putObject("headers")::put);
        }
        if (query != null && !query.isEmpty()) {
            query.forEach(root.putObject("queryStringParameters")::put);
        }
        ObjectNode context = root.putObject("requestContext");
        Instant now = Instant.now();
        context.put("routeKey", routeKey);
        context.put("eventType", eventType);
        context.put("messageDirection", "IN");
        context.put("stage", stage);
        context.put("connectedAt", connectedAt);
        context.put("requestTimeEpoch", now.toEpochMilli());
        context.put("requestId", UUID.randomUUID().toString());
        context.put("domainName", "127.0.0.1");
        context.put("connectionId", connectionId);
        context.put("apiId", "local-ws");
        context.putObject("identity").put("sourceIp", "127.0.0.1");
        root.put("isBase64Encoded", false);
        if (body != null) {
            root.put("body", body);
        }
        return Json.write(root);
    }

    public static String scheduled(String ruleArn) {
        ObjectNode root = Json.object();
        root.put("version", "0");
        root.put("id", UUID.randomUUID().toString());
        root.put("detail-type", "Scheduled Event");
        root.put("source", "aws.events");
        root.put("account", ACCOUNT);
        root.put("time", Instant.now().toString());
        root.put("region", REGION);
        root.putArray("resources").add(ruleArn);
        root.putObject("detail");
        return Json.write(root);
    }

    private static ObjectNode httpBase(HttpRequestParts request) {
        ObjectNode root = Json.object();
        root.put("routeKey", request.routeKey());
        root.put("rawPath", request.path());
        root.put("rawQueryString", request.rawQuery() == null ? "" : request.rawQuery());
        ObjectNode headers = root.putObject("headers");
        request.headers().forEach(headers::put);
        ObjectNode context = root.putObject("requestContext");
        context.put("accountId", ACCOUNT);
        context.put("apiId", "local");
        context.put("domainName", request.host());
        context.put("requestId", UUID.randomUUID().toString());
        context.put("routeKey", request.routeKey());
        context.put("stage", "$default");
        Instant now = Instant.now();
        context.put("time", now.toString());
        context.put("timeEpoch", now.toEpochMilli());
        context.putObject("http").put("method", request.method()).put("path", request.path())
                .put("protocol", "HTTP/1.1").put("sourceIp", request.sourceIp())
                .put("userAgent", request.headers().getOrDefault("user-agent", ""));
        return root;
    }

    /** What the local HTTP host read off a request, with the matched route. */
    /** A request's parts; {@code body} is base64 when {@code bodyBase64} (bytes that are not UTF-8 text). */
    public record HttpRequestParts(String method, String path, String rawQuery, String routeKey, String host,
                                   String sourceIp, Map<String, String> headers, Map<String, String> queryParameters,
                                   Map<String, String> pathParameters, String body, boolean bodyBase64) {
    }
}
