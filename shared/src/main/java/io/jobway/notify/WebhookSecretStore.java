package io.jobway.notify;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Each tenant's webhook signing secrets, one item per tenant. Rotating adds a secret and gives the older
 * ones 24 hours more, so receivers can switch over while messages carry both signatures. Secrets are kept
 * as they are (DynamoDB encrypts them at rest): signing needs the secret itself, not a hash.
 */
public final class WebhookSecretStore {
    public static final Duration ROTATION_OVERLAP = Duration.ofHours(24);

    /** A secret and its life; {@code expiresAt} is null for the current one. */
    public record Secret(String value, Instant createdAt, Instant expiresAt) {
        public boolean validAt(Instant now) {
            return expiresAt == null || expiresAt.isAfter(now);
        }

        /** The first characters, enough to tell secrets apart in a listing. */
        public String hint() {
            return value.substring(0, Math.min(value.length(), WebhookSigner.SECRET_PREFIX.length() + 4)) + "...";
        }
    }

    private final DynamoDbClient dynamo;
    private final String table;
    private final SecureRandom random = new SecureRandom();

    public WebhookSecretStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** The tenant's secrets that still sign, newest first. */
    public List<Secret> valid(String tenantId, Instant now) {
        return read(tenantId).secrets().stream().filter(s -> s.validAt(now)).toList();
    }

    /** Adds a new secret; the ones valid until now stay valid for {@link #ROTATION_OVERLAP}. */
    public Secret rotate(String tenantId, Instant now) {
        for (int tries = 0; tries < 3; tries++) {
            Stored stored = read(tenantId);
            byte[] key = new byte[24];
            random.nextBytes(key);
            Secret created = new Secret(WebhookSigner.SECRET_PREFIX + Base64.getEncoder().encodeToString(key), now, null);
            List<Secret> next = new ArrayList<>();
            next.add(created);
            for (Secret old : stored.secrets()) {
                if (old.validAt(now)) {
                    next.add(old.expiresAt() == null ? new Secret(old.value(), old.createdAt(), now.plus(ROTATION_OVERLAP))
                            : old);
                }
            }
            try {
                write(tenantId, next, stored.version());
                return created;
            } catch (ConditionalCheckFailedException e) {
                // another rotation won the race: read again
            }
        }
        throw new IllegalStateException("the webhook secrets of tenant " + tenantId + " kept changing; try again");
    }

    private record Stored(List<Secret> secrets, long version) {
    }

    private Stored read(String tenantId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("tenantId", AttributeValue.fromS(tenantId)))).item();
        if (item == null || item.isEmpty()) {
            return new Stored(List.of(), 0);
        }
        List<Secret> secrets = item.get("secrets").l().stream().map(v -> {
            Map<String, AttributeValue> m = v.m();
            return new Secret(m.get("value").s(), Instant.ofEpochMilli(Long.parseLong(m.get("createdAt").n())),
                    m.containsKey("expiresAt") ? Instant.ofEpochMilli(Long.parseLong(m.get("expiresAt").n())) : null);
        }).toList();
        return new Stored(secrets, Long.parseLong(item.get("version").n()));
    }

    private void write(String tenantId, List<Secret> secrets, long expectedVersion) {
        List<AttributeValue> list = secrets.stream().map(s -> {
            Map<String, AttributeValue> m = new HashMap<>();
            m.put("value", AttributeValue.fromS(s.value()));
            m.put("createdAt", AttributeValue.fromN(Long.toString(s.createdAt().toEpochMilli())));
            if (s.expiresAt() != null) {
                m.put("expiresAt", AttributeValue.fromN(Long.toString(s.expiresAt().toEpochMilli())));
            }
            return AttributeValue.fromM(m);
        }).toList();
        dynamo.putItem(b -> b.tableName(table)
                .item(Map.of("tenantId", AttributeValue.fromS(tenantId), "secrets", AttributeValue.fromL(list),
                        "version", AttributeValue.fromN(Long.toString(expectedVersion + 1))))
                .conditionExpression(expectedVersion == 0 ? "attribute_not_exists(tenantId)" : "version = :v")
                .expressionAttributeValues(expectedVersion == 0 ? null
                        : Map.of(":v", AttributeValue.fromN(Long.toString(expectedVersion)))));
    }
}
