package io.jobway.auth;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * API keys in their own small table, keyed by the key's hash (one GetItem per authorization). The index
 * {@code byTenant} ({@code tenantId}, {@code keyId}) lists and finds a tenant's keys; revoking by key id alone
 * (the operator's {@code jobway keys revoke}) scans, as it knows no tenant.
 */
public final class DynamoApiKeyStore implements ApiKeyStore {
    public static final String BY_TENANT = "byTenant";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoApiKeyStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void put(ApiKey key) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("keyHash", AttributeValue.fromS(key.keyHash()));
        item.put("keyId", AttributeValue.fromS(key.keyId()));
        item.put("tenantId", AttributeValue.fromS(key.tenantId()));
        item.put("scopes", AttributeValue.fromS(String.join(",", key.scopes())));
        item.put("createdAt", millis(key.createdAt()));
        if (key.revokedAt() != null) {
            item.put("revokedAt", millis(key.revokedAt()));
        }
        if (key.lastUsedAt() != null) {
            item.put("lastUsedAt", millis(key.lastUsedAt()));
        }
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    @Override
    public Optional<ApiKey> findByHash(String keyHash) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(Map.of("keyHash", AttributeValue.fromS(keyHash)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public boolean revoke(String keyId, Instant at) {
        List<ApiKey> matches = dynamo.scanPaginator(b -> b.tableName(table)).items().stream()
                .map(DynamoApiKeyStore::fromItem).filter(k -> k.keyId().equals(keyId)).toList();
        matches.forEach(k -> markRevoked(k.keyHash(), at));
        return !matches.isEmpty();
    }

    @Override
    public boolean revoke(String tenantId, String keyId, Instant at) {
        List<ApiKey> matches = list(tenantId).stream().filter(k -> k.keyId().equals(keyId)).toList();
        matches.forEach(k -> markRevoked(k.keyHash(), at));
        return !matches.isEmpty();
    }

    @Override
    public List<ApiKey> list(String tenantId) {
        List<ApiKey> keys = new ArrayList<>();
        dynamo.queryPaginator(b -> b.tableName(table).indexName(BY_TENANT).keyConditionExpression("tenantId = :t")
                .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(tenantId))))
                .items().forEach(item -> keys.add(fromItem(item)));
        return keys;
    }

    /** Only ever later: two authorizers writing at once keep the later use, and a revoked key is not revived. */
    @Override
    public void touch(ApiKey key, Instant at) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(Map.of("keyHash", AttributeValue.fromS(key.keyHash())))
                    .conditionExpression("attribute_exists(keyHash) AND"
                            + " (attribute_not_exists(lastUsedAt) OR lastUsedAt < :at)")
                    .updateExpression("SET lastUsedAt = :at")
                    .expressionAttributeValues(Map.of(":at", millis(at))));
        } catch (ConditionalCheckFailedException e) {
            // a later use is written already, or the key is gone
        }
    }

    private void markRevoked(String keyHash, Instant at) {
        dynamo.updateItem(b -> b.tableName(table).key(Map.of("keyHash", AttributeValue.fromS(keyHash)))
                .conditionExpression("attribute_exists(keyHash)")
                .updateExpression("SET revokedAt = if_not_exists(revokedAt, :at)")
                .expressionAttributeValues(Map.of(":at", millis(at))));
    }

    private static ApiKey fromItem(Map<String, AttributeValue> item) {
        String scopes = item.get("scopes").s();
        return new ApiKey(item.get("keyHash").s(), item.get("keyId").s(), item.get("tenantId").s(),
                scopes.isEmpty() ? Set.of() : Set.of(scopes.split(",")), instant(item, "createdAt"),
                instant(item, "revokedAt"), instant(item, "lastUsedAt"));
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        return item.containsKey(name) ? Instant.ofEpochMilli(Long.parseLong(item.get(name).n())) : null;
    }

    private static AttributeValue millis(Instant at) {
        return AttributeValue.fromN(Long.toString(at.toEpochMilli()));
    }
}
