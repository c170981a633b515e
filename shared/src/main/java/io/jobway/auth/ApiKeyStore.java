package io.jobway.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where API keys live, by the hash of the key. */
public interface ApiKeyStore {
    void put(ApiKey key);

    Optional<ApiKey> findByHash(String keyHash);

    /** Marks the key with that id revoked; false when there is none. */
    boolean revoke(String keyId, Instant at);

    List<ApiKey> list(String tenantId);
}
