package io.jobway.limits;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The limits tenants declare, in LimitsTable: one item per job type for all its keys, and one per key that has a
 * limit of its own (an account with a higher daily quota). Partition {@code limit#<tenant>}, sort key
 * {@code <type>#*} or {@code <type>#=<rateKey>}, so a tenant's limits list in one query.
 */
public final class LimitStore {
    static final String PK = "pk";
    static final String SK = "sk";
    private static final String ANY_KEY = "*";

    /** A declared limit: {@code rateKey} null for every key of the type. */
    public record Entry(String type, String rateKey, JobLimit limit) {
    }

    public record Page(List<Entry> items, String nextAfter) {
    }

    private final DynamoDbClient dynamo;
    private final String table;

    public LimitStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public void put(String tenant, Entry entry) {
        Map<String, AttributeValue> item = new HashMap<>(key(tenant, entry.type(), entry.rateKey()));
        item.put("type", AttributeValue.fromS(entry.type()));
        if (entry.rateKey() != null) {
            item.put("rateKey", AttributeValue.fromS(entry.rateKey()));
        }
        JobLimit limit = entry.limit();
        if (limit.limitsRate()) {
            item.put("rateLimit", number(limit.rateLimit()));
            item.put("ratePerSeconds", number(limit.ratePer().toSeconds()));
        }
        if (limit.limitsRunning()) {
            item.put("maxRunning", number(limit.maxRunning()));
        }
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    /** True when there was such a limit. */
    public boolean delete(String tenant, String type, String rateKey) {
        var old = dynamo.deleteItem(b -> b.tableName(table).key(key(tenant, type, rateKey))
                .returnValues(software.amazon.awssdk.services.dynamodb.model.ReturnValue.ALL_OLD)).attributes();
        return old != null && !old.isEmpty();
    }

    /** A tenant's limits by type and key, {@code max} at a time, after the sort key a previous page ended at. */
    public Page list(String tenant, String after, int max) {
        QueryResponse response = dynamo.query(b -> {
            b.tableName(table).keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(partition(tenant)))).limit(max);
            if (after != null) {
                b.exclusiveStartKey(Map.of(PK, AttributeValue.fromS(partition(tenant)), SK, AttributeValue.fromS(after)));
            }
        });
        List<Entry> items = new ArrayList<>();
        response.items().forEach(item -> items.add(entry(item)));
        String next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? response.lastEvaluatedKey().get(SK).s() : null;
        return new Page(items, next);
    }

    /** The limit that applies to {@code rateKey} of {@code type}: the key's own, else the type's; one read. */
    public Optional<JobLimit> find(String tenant, String type, String rateKey) {
        Map<String, AttributeValue> own = key(tenant, type, rateKey);
        Map<String, AttributeValue> typeWide = key(tenant, type, null);
        var response = dynamo.batchGetItem(b -> b.requestItems(Map.of(table,
                KeysAndAttributes.builder().keys(own, typeWide).consistentRead(true).build())));
        // Two small keys come back in one answer; a throttled one is read alone.
        List<Map<String, AttributeValue>> found = new ArrayList<>(response.responses().getOrDefault(table, List.of()));
        if (response.hasUnprocessedKeys() && response.unprocessedKeys().containsKey(table)) {
            for (Map<String, AttributeValue> key : response.unprocessedKeys().get(table).keys()) {
                var item = dynamo.getItem(b -> b.tableName(table).key(key).consistentRead(true)).item();
                if (item != null && !item.isEmpty()) {
                    found.add(item);
                }
            }
        }
        Optional<Map<String, AttributeValue>> pick = found.stream()
                .filter(item -> item.get(SK).equals(own.get(SK))).findFirst()
                .or(() -> found.stream().filter(item -> item.get(SK).equals(typeWide.get(SK))).findFirst());
        return pick.map(item -> entry(item).limit());
    }

    private static Entry entry(Map<String, AttributeValue> item) {
        Integer rate = item.containsKey("rateLimit") ? Integer.valueOf(item.get("rateLimit").n()) : null;
        Duration per = item.containsKey("ratePerSeconds")
                ? Duration.ofSeconds(Long.parseLong(item.get("ratePerSeconds").n())) : null;
        Integer running = item.containsKey("maxRunning") ? Integer.valueOf(item.get("maxRunning").n()) : null;
        return new Entry(item.get("type").s(), item.containsKey("rateKey") ? item.get("rateKey").s() : null,
                new JobLimit(rate, per, running));
    }

    private static Map<String, AttributeValue> key(String tenant, String type, String rateKey) {
        return Map.of(PK, AttributeValue.fromS(partition(tenant)),
                SK, AttributeValue.fromS(type + "#" + (rateKey == null ? ANY_KEY : "=" + rateKey)));
    }

    private static String partition(String tenant) {
        return "limit#" + tenant;
    }

    private static AttributeValue number(long n) {
        return AttributeValue.fromN(Long.toString(n));
    }
}
