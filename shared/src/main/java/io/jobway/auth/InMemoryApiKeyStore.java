package io.jobway.auth;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** API keys in memory, for tests. */
public final class InMemoryApiKeyStore implements ApiKeyStore {
    private final Map<String, ApiKey> keys = new ConcurrentHashMap<>();

    @Override
    public void put(ApiKey key) {
        keys.put(key.keyHash(), key);
    }

    @Override
    public Optional<ApiKey> findByHash(String keyHash) {
        return Optional.ofNullable(keys.get(keyHash));
    }

    @Override
    public boolean revoke(String keyId, Instant at) {
        List<ApiKey> matches = keys.values().stream().filter(k -> k.keyId().equals(keyId)).toList();
        matches.forEach(k -> put(new ApiKey(k.keyHash(), k.keyId(), k.tenantId(), k.scopes(), k.createdAt(), at,
                k.lastUsedAt())));
        return !matches.isEmpty();
    }

    @Override
    public boolean revoke(String tenantId, String keyId, Instant at) {
        return list(tenantId).stream().anyMatch(k -> k.keyId().equals(keyId)) && revoke(keyId, at);
    }

    @Override
    public void touch(ApiKey key, Instant at) {
        keys.computeIfPresent(key.keyHash(), (hash, k) -> new ApiKey(k.keyHash(), k.keyId(), k.tenantId(), k.scopes(),
                k.createdAt(), k.revokedAt(), at));
    }

    @Override
    public List<ApiKey> list(String tenantId) {
        return keys.values().stream().filter(k -> k.tenantId().equals(tenantId)).toList();
    }
}
