package io.jobway.store;

import java.time.Instant;

/** Remembers which job a tenant's Idempotency-Key created, and a hash of the request that created it. */
public record IdempotencyRecord(String tenantId, String key, String jobId, String requestHash, Instant expiresAt) {
    public boolean expiredAt(Instant now) {
        return !expiresAt.isAfter(now);
    }
}
