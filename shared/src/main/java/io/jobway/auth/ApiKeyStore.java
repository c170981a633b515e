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

    /** Marks the tenant's key with that id revoked; false when the tenant has none (another's is not touched). */
    boolean revoke(String tenantId, String keyId, Instant at);

    /** The tenant's keys, revoked ones too. */
    List<ApiKey> list(String tenantId);

    /** Records that the key was used at {@code at}. */
    void touch(ApiKey key, Instant at);
}
