package io.jobway.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * A stored API key: only the SHA-256 of the secret is kept, never the secret itself. Scopes: {@link Scopes}.
 * {@code lastUsedAt} is when the authorizer last let it through, to within {@link #LAST_USED_PRECISION}.
 */
public record ApiKey(String keyHash, String keyId, String tenantId, Set<String> scopes, Instant createdAt,
                     Instant revokedAt, Instant lastUsedAt) {
    /** How stale {@code lastUsedAt} may get: the authorizer writes it at most this often per key. */
    public static final Duration LAST_USED_PRECISION = Duration.ofMinutes(1);

    public ApiKey {
        scopes = Set.copyOf(scopes);
    }

    public ApiKey(String keyHash, String keyId, String tenantId, Set<String> scopes, Instant createdAt,
                  Instant revokedAt) {
        this(keyHash, keyId, tenantId, scopes, createdAt, revokedAt, null);
    }

    public boolean active() {
        return revokedAt == null;
    }

    /** Whether a use at {@code now} should be written down: the last one written is older than the precision. */
    public boolean lastUsedIsStale(Instant now) {
        return lastUsedAt == null || lastUsedAt.plus(LAST_USED_PRECISION).isBefore(now);
    }
}
