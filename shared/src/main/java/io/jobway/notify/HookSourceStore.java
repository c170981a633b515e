package io.jobway.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Where inbound webhooks come in: each source has an unguessable id (its URL is {@code /v1/hooks/<id>}), the
 * tenant it belongs to, the signature scheme and secret of the sender, and the job type an event becomes. A
 * rotated secret keeps the one before it valid for an overlap, while the sender moves to the new one. The index
 * {@code byTenant} lists a tenant's sources without their secrets (it does not project them).
 */
public final class HookSourceStore {
    public static final String BY_TENANT = "byTenant";

    /** {@code previousSecret} is valid until {@code previousValidUntil}; both null when never rotated. */
    public record HookSource(String sourceId, String tenantId, String scheme, String secret, String jobType,
                             Instant createdAt, Instant rotatedAt, String previousSecret, Instant previousValidUntil) {
        public static final String STRIPE = "stripe";
        public static final String STANDARD_WEBHOOKS = "standard-webhooks";

        public HookSource(String sourceId, String tenantId, String scheme, String secret, String jobType,
                          Instant createdAt) {
            this(sourceId, tenantId, scheme, secret, jobType, createdAt, null, null, null);
        }

        /** The secrets a signature may be made with at {@code now}: the current one, then the one before it. */
        public List<String> validSecrets(Instant now) {
            return previousSecret != null && now.isBefore(previousValidUntil) ? List.of(secret, previousSecret)
                    : List.of(secret);
        }
    }

    /** A page of a tenant's sources, secrets left out; {@code nextAfter} is the last source id, or null. */
    public record Page(List<HookSource> items, String nextAfter) {
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
                "createdAt", millis(source.createdAt()))));
    }

    public Optional<HookSource> find(String sourceId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(Map.of("sourceId", AttributeValue.fromS(sourceId)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(read(item));
    }

    /** The tenant's sources by id, {@code limit} a page, after {@code afterSourceId} (null for the first). */
    public Page list(String tenantId, String afterSourceId, int limit) {
        QueryResponse page = dynamo.query(b -> {
            b.tableName(table).indexName(BY_TENANT).limit(limit)
                    .keyConditionExpression("tenantId = :t")
                    .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(tenantId)));
            if (afterSourceId != null) {
                b.exclusiveStartKey(Map.of("tenantId", AttributeValue.fromS(tenantId),
                        "sourceId", AttributeValue.fromS(afterSourceId)));
            }
        });
        List<HookSource> items = new ArrayList<>();
        page.items().forEach(item -> items.add(read(item)));
        boolean more = page.lastEvaluatedKey() != null && !page.lastEvaluatedKey().isEmpty();
        return new Page(items, more && !items.isEmpty() ? items.getLast().sourceId() : null);
    }

    /**
     * Makes {@code secret} the source's secret and keeps the current one valid for {@code overlap}; empty when the
     * tenant has no such source.
     */
    public Optional<HookSource> rotate(String tenantId, String sourceId, String secret, Instant now, Duration overlap) {
        Optional<HookSource> current = find(sourceId).filter(s -> s.tenantId().equals(tenantId));
        if (current.isEmpty()) {
            return Optional.empty();
        }
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":t", AttributeValue.fromS(tenantId));
        values.put(":old", AttributeValue.fromS(current.get().secret()));
        values.put(":new", AttributeValue.fromS(secret));
        values.put(":now", millis(now));
        values.put(":until", millis(now.plus(overlap)));
        try {
            // on the secret it replaces: two rotations at once cannot both keep theirs as the previous one
            dynamo.updateItem(b -> b.tableName(table).key(Map.of("sourceId", AttributeValue.fromS(sourceId)))
                    .conditionExpression("tenantId = :t AND secret = :old")
                    .updateExpression("SET secret = :new, previousSecret = :old, previousValidUntil = :until,"
                            + " rotatedAt = :now")
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException e) {
            return rotate(tenantId, sourceId, secret, now, overlap); // rotated meanwhile: rotate what is there now
        }
        HookSource was = current.get();
        return Optional.of(new HookSource(sourceId, tenantId, was.scheme(), secret, was.jobType(), was.createdAt(),
                now, was.secret(), now.plus(overlap)));
    }

    /** Deletes the tenant's source; false when it has no such source (another tenant's is not touched). */
    public boolean delete(String tenantId, String sourceId) {
        try {
            dynamo.deleteItem(b -> b.tableName(table).key(Map.of("sourceId", AttributeValue.fromS(sourceId)))
                    .conditionExpression("tenantId = :t")
                    .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(tenantId))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static HookSource read(Map<String, AttributeValue> item) {
        return new HookSource(item.get("sourceId").s(), item.get("tenantId").s(), item.get("scheme").s(),
                text(item, "secret"), item.get("jobType").s(), instant(item, "createdAt"), instant(item, "rotatedAt"),
                text(item, "previousSecret"), instant(item, "previousValidUntil"));
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        return item.containsKey(name) ? item.get(name).s() : null;
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        return item.containsKey(name) ? Instant.ofEpochMilli(Long.parseLong(item.get(name).n())) : null;
    }

    private static AttributeValue millis(Instant at) {
        return AttributeValue.fromN(Long.toString(at.toEpochMilli()));
    }
}
