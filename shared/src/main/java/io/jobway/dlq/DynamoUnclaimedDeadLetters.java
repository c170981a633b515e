package io.jobway.dlq;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Unclaimed dead letters in DeadLettersTable: partition {@code tenant#<id>} (or {@code unattributed}), sort key
 * {@code <sentAt millis, 13 digits>#<messageId>}, so a partition lists newest first in one query and a message seen
 * again maps to the same item. An item expires when SQS would drop its message: 14 days after it was sent.
 */
public final class DynamoUnclaimedDeadLetters implements UnclaimedDeadLetters {
    /** The DLQ's message retention (template.yaml), after which its message is gone too. */
    static final Duration KEPT_FOR = Duration.ofDays(14);
    private static final String UNATTRIBUTED = "unattributed";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoUnclaimedDeadLetters(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void record(UnclaimedDeadLetter letter) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", AttributeValue.fromS(partition(letter.tenantId())));
        item.put("sk", AttributeValue.fromS(sortKey(letter)));
        item.put("messageId", AttributeValue.fromS(letter.messageId()));
        item.put("reason", AttributeValue.fromS(letter.reason().wireName()));
        item.put("body", AttributeValue.fromS(letter.body()));
        item.put("sentAt", millis(letter.sentAt()));
        item.put("seenAt", millis(letter.seenAt()));
        item.put("expiresAt", AttributeValue.fromN(Long.toString(letter.sentAt().plus(KEPT_FOR).getEpochSecond())));
        if (letter.tenantId() != null) {
            item.put("tenantId", AttributeValue.fromS(letter.tenantId()));
        }
        if (letter.jobId() != null) {
            item.put("jobId", AttributeValue.fromS(letter.jobId()));
        }
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
        } catch (ConditionalCheckFailedException e) {
            // noted by an earlier sweep: its first sighting stands
        }
    }

    @Override
    public Page list(String tenantId, String after, int max) {
        String pk = partition(tenantId);
        QueryResponse response = dynamo.query(b -> {
            b.tableName(table).keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk)))
                    .scanIndexForward(false).limit(max);
            if (after != null) {
                b.exclusiveStartKey(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(after)));
            }
        });
        List<UnclaimedDeadLetter> items = response.items().stream().map(DynamoUnclaimedDeadLetters::letter).toList();
        String next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? response.lastEvaluatedKey().get("sk").s() : null;
        return new Page(items, next);
    }

    /** The order of a partition: by time sent, then message id. */
    static String sortKey(UnclaimedDeadLetter letter) {
        return String.format("%013d#%s", letter.sentAt().toEpochMilli(), letter.messageId());
    }

    private static String partition(String tenantId) {
        return tenantId == null ? UNATTRIBUTED : "tenant#" + tenantId;
    }

    private static UnclaimedDeadLetter letter(Map<String, AttributeValue> item) {
        return new UnclaimedDeadLetter(item.get("messageId").s(),
                item.containsKey("tenantId") ? item.get("tenantId").s() : null,
                UnclaimedDeadLetter.Reason.fromWire(item.get("reason").s()),
                item.containsKey("jobId") ? item.get("jobId").s() : null, item.get("body").s(),
                Instant.ofEpochMilli(Long.parseLong(item.get("sentAt").n())),
                Instant.ofEpochMilli(Long.parseLong(item.get("seenAt").n())));
    }

    private static AttributeValue millis(Instant instant) {
        return AttributeValue.fromN(Long.toString(instant.toEpochMilli()));
    }
}
