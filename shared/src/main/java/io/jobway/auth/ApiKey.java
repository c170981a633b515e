package io.jobway.auth;

import java.time.Instant;
import java.util.Set;

/** A stored API key: only the SHA-256 of the secret is kept, never the secret itself. Scopes: {@link Scopes}. */
public record ApiKey(String keyHash, String keyId, String tenantId, Set<String> scopes, Instant createdAt,
                     Instant revokedAt) {
    public ApiKey {
        scopes = Set.copyOf(scopes);
    }

    public boolean active() {
        return revokedAt == null;
    }
}
