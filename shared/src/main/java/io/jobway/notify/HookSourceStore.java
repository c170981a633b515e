package io.jobway.notify;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Where inbound webhooks come in: each source has an unguessable id (its URL is {@code /v1/hooks/<id>}), the
 * tenant it belongs to, the signature scheme and secret of the sender, and the job type an event becomes.
 */
public final class HookSourceStore {
    public record HookSource(String sourceId, String tenantId, String scheme, String secret, String jobType,
                             Instant createdAt) {
        public static final String STRIPE = "stripe";
        public static final String STANDARD_WEBHOOKS = "standard-webhooks";
    }

    private final DynamoDbClient dynamo;
    private final String table;

    public HookSourceStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public void put(HookSource source) {
        dynamo.putItem(b -> b.tableName(table).item(Map.of(
                "sourceId", AttributeValue.fromS(source.sourceId()),
                "tenantId", AttributeValue.fromS(source.tenantId()),
                "scheme", AttributeValue.fromS(source.scheme()),
                "secret", AttributeValue.fromS(source.secret()),
                "jobType", AttributeValue.fromS(source.jobType()),
                "createdAt", AttributeValue.fromN(Long.toString(source.createdAt().toEpochMilli())))));
    }

    public Optional<HookSource> find(String sourceId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(Map.of("sourceId", AttributeValue.fromS(sourceId)))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new HookSource(item.get("sourceId").s(), item.get("tenantId").s(), item.get("scheme").s(),
                item.get("secret").s(), item.get("jobType").s(),
                Instant.ofEpochMilli(Long.parseLong(item.get("createdAt").n()))));
    }
}
