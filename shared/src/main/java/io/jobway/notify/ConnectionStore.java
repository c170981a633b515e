package io.jobway.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Open WebSocket connections and what each is subscribed to, in one small table (pk, sk):
 * {@code conn#<id> / conn} holds the tenant and the subscription keys of a connection;
 * {@code sub#<tenant>#job#<jobId> / <connectionId>}, {@code sub#<tenant>#tag#<tag> / <connectionId>} and
 * {@code sub#<tenant>#all / <connectionId>} are the subscriptions, so the notifier finds a job's subscribers with
 * two queries, and one more per tag the job carries. The tenant is part of every subscription key: a connection can
 * never be found through another tenant's job or tag (a tag has no {@code #}: {@link io.jobway.job.Tags}).
 */
public final class ConnectionStore {
    /** API Gateway closes a WebSocket after 2 hours; TTL removes what a lost disconnect left behind. */
    static final Duration RETENTION = Duration.ofHours(3);

    private final DynamoDbClient dynamo;
    private final String table;

    public ConnectionStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /**
     * A connection's tenant and, when a browser token opened it, the only jobs it may follow (a token of job ids)
     * or the only tag (a token of a tag), and the token's expiry, past which it follows nothing (all null for an API
     * key's).
     */
    public record Connection(String tenantId, Set<String> onlyJobs, String onlyTag, Instant until) {
        public Connection(String tenantId, Set<String> onlyJobs, Instant until) {
            this(tenantId, onlyJobs, null, until);
        }

        /** Whether it may follow job {@code jobId}, or the whole tenant (null): an API key's connection only. */
        public boolean mayFollow(String jobId) {
            return keyed() || jobId != null && onlyJobs != null && onlyJobs.contains(jobId);
        }

        /** Whether it may follow the jobs carrying {@code tag}: an API key's connection, or its tag's token's. */
        public boolean mayFollowTag(String tag) {
            return keyed() || tag.equals(onlyTag);
        }

        private boolean keyed() {
            return onlyJobs == null && onlyTag == null;
        }

        public boolean expired(Instant now) {
            return until != null && !now.isBefore(until);
        }
    }

    public void connect(String connectionId, String tenantId, Instant now) {
        connect(connectionId, tenantId, null, null, now);
    }

    /** A connection limited to {@code onlyJobs} until {@code until} (a browser token's), or to none when null. */
    public void connect(String connectionId, String tenantId, Set<String> onlyJobs, Instant until, Instant now) {
        connect(connectionId, new Connection(tenantId, onlyJobs, null, until), now);
    }

    /** A connection as {@code connection} says: an API key's, or limited to a token's jobs or tag until its expiry. */
    public void connect(String connectionId, Connection connection, Instant now) {
        Map<String, AttributeValue> item = new java.util.HashMap<>(Map.of("pk", s("conn#" + connectionId),
                "sk", s("conn"), "tenantId", s(connection.tenantId()), "expiresAt", expiry(now)));
        Set<String> onlyJobs = connection.onlyJobs();
        Instant until = connection.until();
        if (onlyJobs != null) {
            item.put("onlyJobs", AttributeValue.fromSs(List.copyOf(onlyJobs)));
        }
        if (connection.onlyTag() != null) {
            item.put("onlyTag", s(connection.onlyTag()));
        }
        if (until != null) {
            item.put("until", AttributeValue.fromN(Long.toString(until.toEpochMilli())));
        }
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    public Optional<String> tenantOf(String connectionId) {
        return connection(connectionId).map(Connection::tenantId);
    }

    public Optional<Connection> connection(String connectionId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(Map.of("pk", s("conn#" + connectionId), "sk", s("conn")))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        AttributeValue onlyJobs = item.get("onlyJobs");
        AttributeValue onlyTag = item.get("onlyTag");
        return Optional.of(new Connection(item.get("tenantId").s(), onlyJobs == null ? null : Set.copyOf(onlyJobs.ss()),
                onlyTag == null ? null : onlyTag.s(), until(item)));
    }

    /**
     * Subscribes {@code connection} to one job's events ({@code jobId} given) or to every job of the tenant (null);
     * a browser token's subscription carries the token's expiry, past which the notifier skips it.
     */
    public void subscribe(String connectionId, Connection connection, String jobId, Instant now) {
        subscribeTo(connectionId, connection, subscriptionKey(connection.tenantId(), jobId), now);
    }

    /** Subscribes {@code connection} to the events of every job of its tenant that carries {@code tag}. */
    public void subscribeToTag(String connectionId, Connection connection, String tag, Instant now) {
        subscribeTo(connectionId, connection, tagKey(connection.tenantId(), tag), now);
    }

    private void subscribeTo(String connectionId, Connection connection, String key, Instant now) {
        Map<String, AttributeValue> item = new java.util.HashMap<>(Map.of(
                "pk", s(key), "sk", s(connectionId), "expiresAt", expiry(now)));
        if (connection.until() != null) {
            item.put("until", AttributeValue.fromN(Long.toString(connection.until().toEpochMilli())));
        }
        dynamo.putItem(b -> b.tableName(table).item(item));
        dynamo.updateItem(b -> b.tableName(table).key(Map.of("pk", s("conn#" + connectionId), "sk", s("conn")))
                .updateExpression("ADD subs :key")
                .expressionAttributeValues(Map.of(":key", AttributeValue.fromSs(List.of(key)))));
    }

    /**
     * The connections subscribed to one job ({@code jobId} given) or to all of the tenant's jobs (null), but those
     * of a browser token expired at {@code now}: a token's connection hears nothing after its hour.
     */
    public Set<String> subscribersOf(String tenantId, String jobId, Instant now) {
        return subscribers(subscriptionKey(tenantId, jobId), now);
    }

    /** The connections subscribed to the tenant's jobs carrying {@code tag}, as {@link #subscribersOf} finds them. */
    public Set<String> subscribersOfTag(String tenantId, String tag, Instant now) {
        return subscribers(tagKey(tenantId, tag), now);
    }

    private Set<String> subscribers(String key, Instant now) {
        Set<String> ids = new LinkedHashSet<>();
        dynamo.queryPaginator(b -> b.tableName(table).keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", s(key))))
                .items().forEach(item -> {
                    Instant until = until(item);
                    if (until == null || now.isBefore(until)) {
                        ids.add(item.get("sk").s());
                    }
                });
        return ids;
    }

    private static Instant until(Map<String, AttributeValue> item) {
        AttributeValue until = item.get("until");
        return until == null ? null : Instant.ofEpochMilli(Long.parseLong(until.n()));
    }

    /** Forgets a connection and its subscriptions (on disconnect, or when API Gateway says it is gone). */
    public void disconnect(String connectionId) {
        Map<String, AttributeValue> key = Map.of("pk", s("conn#" + connectionId), "sk", s("conn"));
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key)).item();
        if (item != null && item.containsKey("subs")) {
            for (String sub : item.get("subs").ss()) {
                dynamo.deleteItem(b -> b.tableName(table).key(Map.of("pk", s(sub), "sk", s(connectionId))));
            }
        }
        dynamo.deleteItem(b -> b.tableName(table).key(key));
    }

    static String subscriptionKey(String tenantId, String jobId) {
        return jobId == null ? "sub#" + tenantId + "#all" : "sub#" + tenantId + "#job#" + jobId;
    }

    static String tagKey(String tenantId, String tag) {
        return "sub#" + tenantId + "#tag#" + tag;
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue expiry(Instant now) {
        return AttributeValue.fromN(Long.toString(now.plus(RETENTION).getEpochSecond()));
    }
}
