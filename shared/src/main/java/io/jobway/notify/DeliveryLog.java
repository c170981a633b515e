package io.jobway.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Every webhook delivery attempt of a job, kept 30 days: what the receiver answered and how fast. */
public final class DeliveryLog {
    static final Duration RETENTION = Duration.ofDays(30);

    /**
     * One attempt. {@code statusCode} is 0 when no answer came (refused, timed out); {@code error} says why.
     */
    public record Attempt(String jobId, String webhookId, int attempt, Instant at, String url, int statusCode,
                          long latencyMs, boolean delivered, String error) {
    }

    private final DynamoDbClient dynamo;
    private final String table;

    public DeliveryLog(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public void record(Attempt a) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("jobId", AttributeValue.fromS(a.jobId()));
        item.put("sk", AttributeValue.fromS(a.at().toString() + "#" + a.webhookId() + "#" + a.attempt()));
        item.put("webhookId", AttributeValue.fromS(a.webhookId()));
        item.put("attempt", AttributeValue.fromN(Integer.toString(a.attempt())));
        item.put("at", AttributeValue.fromN(Long.toString(a.at().toEpochMilli())));
        item.put("url", AttributeValue.fromS(a.url()));
        item.put("statusCode", AttributeValue.fromN(Integer.toString(a.statusCode())));
        item.put("latencyMs", AttributeValue.fromN(Long.toString(a.latencyMs())));
        item.put("delivered", AttributeValue.fromBool(a.delivered()));
        if (a.error() != null) {
            item.put("error", AttributeValue.fromS(a.error()));
        }
        item.put("expiresAt", AttributeValue.fromN(Long.toString(a.at().plus(RETENTION).getEpochSecond())));
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    /** A job's attempts, oldest first. */
    public List<Attempt> of(String jobId) {
        return dynamo.queryPaginator(b -> b.tableName(table).keyConditionExpression("jobId = :j")
                        .expressionAttributeValues(Map.of(":j", AttributeValue.fromS(jobId))).consistentRead(true))
                .items().stream()
                .map(i -> new Attempt(i.get("jobId").s(), i.get("webhookId").s(), Integer.parseInt(i.get("attempt").n()),
                        Instant.ofEpochMilli(Long.parseLong(i.get("at").n())), i.get("url").s(),
                        Integer.parseInt(i.get("statusCode").n()), Long.parseLong(i.get("latencyMs").n()),
                        i.get("delivered").bool(), i.containsKey("error") ? i.get("error").s() : null))
                .toList();
    }
}
