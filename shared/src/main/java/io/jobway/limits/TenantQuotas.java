package io.jobway.limits;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The deployment's quotas on each tenant: API requests a minute and jobs accepted a (UTC) day, as set by the
 * template's parameters, 0 meaning none. Each is a fixed-window counter in LimitsTable, taken with one conditional
 * {@code ADD} before the request does anything else, so it holds across any number of API functions; a quota of 0
 * costs no call at all.
 */
public final class TenantQuotas {
    public enum Kind {
        REQUESTS("requests", Duration.ofMinutes(1)),
        JOBS("jobs", Duration.ofDays(1));

        private final String wireName;
        private final Duration window;

        Kind(String wireName, Duration window) {
            this.wireName = wireName;
            this.window = window;
        }

        public Duration window() {
            return window;
        }
    }

    /** A quota that was full: which one, its limit, and when its window ends. */
    public record Exceeded(Kind kind, long limit, Instant windowEnds) {
    }

    private final DynamoDbClient dynamo;
    private final String table;
    private final long requestsPerMinute;
    private final long jobsPerDay;

    public TenantQuotas(DynamoDbClient dynamo, String table, long requestsPerMinute, long jobsPerDay) {
        this.dynamo = dynamo;
        this.table = table;
        this.requestsPerMinute = requestsPerMinute;
        this.jobsPerDay = jobsPerDay;
    }

    /** No quota: takes nothing, calls nothing. */
    public static TenantQuotas none() {
        return new TenantQuotas(null, null, 0, 0);
    }

    /** Counts {@code n} against the tenant's quota of {@code kind}; empty when they fit, else what was full. */
    public Optional<Exceeded> take(String tenantId, Kind kind, int n, Instant now) {
        long limit = kind == Kind.REQUESTS ? requestsPerMinute : jobsPerDay;
        if (limit <= 0 || n <= 0) {
            return Optional.empty();
        }
        long period = kind.window.toSeconds();
        long start = Math.floorDiv(now.getEpochSecond(), period) * period;
        Instant end = Instant.ofEpochSecond(start + period);
        if (n > limit) {
            return Optional.of(new Exceeded(kind, limit, end)); // would never fit: counts nothing
        }
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(Map.of(LimitStore.PK, AttributeValue.fromS("quota#" + tenantId + "#" + kind.wireName),
                            LimitStore.SK, AttributeValue.fromS(Long.toString(start))))
                    .updateExpression("ADD #n :n SET expiresAt = :expires")
                    .conditionExpression("attribute_not_exists(#n) OR #n <= :room")
                    .expressionAttributeNames(Map.of("#n", "count"))
                    .expressionAttributeValues(Map.of(":n", AttributeValue.fromN(Integer.toString(n)),
                            ":room", AttributeValue.fromN(Long.toString(limit - n)),
                            ":expires", AttributeValue.fromN(Long.toString(
                                    end.plus(DynamoJobLimits.COUNTER_KEPT).getEpochSecond())))));
            return Optional.empty();
        } catch (ConditionalCheckFailedException full) {
            return Optional.of(new Exceeded(kind, limit, end));
        }
    }
}
