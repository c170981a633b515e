package io.jobway.auth;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * API keys in their own small table, keyed by the key's hash (one GetItem per authorization). Listing and
 * revoking by key id scan it: those are rare operator commands on a table of a few items.
 */
public final class DynamoApiKeyStore implements ApiKeyStore {
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
        item.put("createdAt", AttributeValue.fromN(Long.toString(key.createdAt().toEpochMilli())));
        if (key.revokedAt() != null) {
            item.put("revokedAt", AttributeValue.fromN(Long.toString(key.revokedAt().toEpochMilli())));
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
        List<ApiKey> matches = scan().stream().filter(k -> k.keyId().equals(keyId)).toList();
        matches.forEach(k -> put(new ApiKey(k.keyHash(), k.keyId(), k.tenantId(), k.scopes(), k.createdAt(), at)));
        return !matches.isEmpty();
    }

    @Override
    public List<ApiKey> list(String tenantId) {
        return scan().stream().filter(k -> k.tenantId().equals(tenantId)).toList();
    }

    private List<ApiKey> scan() {
        return dynamo.scanPaginator(b -> b.tableName(table)).items().stream().map(DynamoApiKeyStore::fromItem)
                .toList();
    }

    private static ApiKey fromItem(Map<String, AttributeValue> item) {
        String scopes = item.get("scopes").s();
        return new ApiKey(item.get("keyHash").s(), item.get("keyId").s(), item.get("tenantId").s(),
                scopes.isEmpty() ? Set.of() : Set.of(scopes.split(",")),
                Instant.ofEpochMilli(Long.parseLong(item.get("createdAt").n())),
                item.containsKey("revokedAt") ? Instant.ofEpochMilli(Long.parseLong(item.get("revokedAt").n())) : null);
    }
}
