package io.jobway.schedule;

import io.jobway.job.JobSpec;
import io.jobway.job.Priority;
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
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Schedules in SchedulesTable ({@code tenantId}, {@code name}). An enabled schedule with a next fire time is in the
 * sparse {@code byDue} index ({@code dueShard}, {@code dueAt} = {@code nextFireAt} less {@link Schedule#AHEAD}),
 * which the sweeper reads. Every change is conditional on {@code version}.
 */
public final class ScheduleStore {
    public static final String BY_DUE_INDEX = "byDue";
    static final int DUE_SHARDS = 4;

    public record Page(List<Schedule> items, String nextAfter) {
    }

    private final DynamoDbClient dynamo;
    private final String table;

    public ScheduleStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** False when the tenant has a schedule of that name already. */
    public boolean create(Schedule schedule) {
        try {
            dynamo.putItem(b -> b.tableName(table).item(item(schedule)).conditionExpression("attribute_not_exists(#n)")
                    .expressionAttributeNames(Map.of("#n", "name")));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Writes {@code after} over {@code before}; false when the schedule changed (or went) since it was read. */
    public boolean save(Schedule before, Schedule after) {
        try {
            dynamo.putItem(b -> b.tableName(table).item(item(after)).conditionExpression("version = :v")
                    .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(Long.toString(before.version())))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    public Optional<Schedule> find(String tenantId, String name) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(tenantId, name))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(schedule(item));
    }

    public boolean delete(String tenantId, String name) {
        var old = dynamo.deleteItem(b -> b.tableName(table).key(key(tenantId, name)).returnValues(ReturnValue.ALL_OLD))
                .attributes();
        return old != null && !old.isEmpty();
    }

    public Page list(String tenantId, String after, int max) {
        QueryResponse response = dynamo.query(b -> {
            b.tableName(table).keyConditionExpression("tenantId = :t")
                    .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(tenantId))).limit(max);
            if (after != null) {
                b.exclusiveStartKey(key(tenantId, after));
            }
        });
        List<Schedule> items = new ArrayList<>();
        response.items().forEach(item -> items.add(schedule(item)));
        String next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? response.lastEvaluatedKey().get("name").s() : null;
        return new Page(items, next);
    }

    /** Enabled schedules whose next fire time is within {@link Schedule#AHEAD} of {@code now}, or passed. */
    public List<Schedule> findDue(Instant now, int limit) {
        List<Schedule> due = new ArrayList<>();
        for (int shard = 0; shard < DUE_SHARDS && due.size() < limit; shard++) {
            String shardKey = Integer.toString(shard);
            int remaining = limit - due.size();
            dynamo.query(b -> b.tableName(table).indexName(BY_DUE_INDEX)
                            .keyConditionExpression("dueShard = :s AND dueAt <= :now")
                            .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(shardKey),
                                    ":now", AttributeValue.fromN(Long.toString(now.toEpochMilli()))))
                            .limit(remaining))
                    .items().forEach(item -> due.add(schedule(item)));
        }
        return due;
    }

    private static Map<String, AttributeValue> key(String tenantId, String name) {
        return Map.of("tenantId", AttributeValue.fromS(tenantId), "name", AttributeValue.fromS(name));
    }

    private static Map<String, AttributeValue> item(Schedule s) {
        Map<String, AttributeValue> item = new HashMap<>(key(s.tenantId(), s.name()));
        item.put("cron", AttributeValue.fromS(s.cron()));
        item.put("timezone", AttributeValue.fromS(s.timezone()));
        item.put("job", AttributeValue.fromM(jobItem(s.job())));
        item.put("enabled", AttributeValue.fromBool(s.enabled()));
        item.put("catchUp", AttributeValue.fromS(s.catchUp().wireName()));
        millis(item, "nextFireAt", s.nextFireAt());
        millis(item, "lastFiredAt", s.lastFiredAt());
        if (s.lastJobId() != null) {
            item.put("lastJobId", AttributeValue.fromS(s.lastJobId()));
        }
        item.put("version", AttributeValue.fromN(Long.toString(s.version())));
        millis(item, "createdAt", s.createdAt());
        millis(item, "updatedAt", s.updatedAt());
        if (s.enabled() && s.nextFireAt() != null) {
            item.put("dueShard", AttributeValue.fromS(Integer.toString(Math.floorMod(
                    (s.tenantId() + "/" + s.name()).hashCode(), DUE_SHARDS))));
            millis(item, "dueAt", s.nextFireAt().minus(Schedule.AHEAD));
        }
        return item;
    }

    private static Map<String, AttributeValue> jobItem(JobSpec job) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put("type", AttributeValue.fromS(job.type()));
        if (job.payload() != null) {
            m.put("payload", AttributeValue.fromS(job.payload()));
        }
        m.put("maxAttempts", AttributeValue.fromN(Integer.toString(job.maxAttempts())));
        m.put("timeoutSeconds", AttributeValue.fromN(Integer.toString(job.timeoutSeconds())));
        if (job.callbackUrl() != null) {
            m.put("callbackUrl", AttributeValue.fromS(job.callbackUrl()));
        }
        if (job.rateKey() != null) {
            m.put("rateKey", AttributeValue.fromS(job.rateKey()));
        }
        m.put("priority", AttributeValue.fromS(job.priority().wireName()));
        if (!job.tags().isEmpty()) {
            m.put("tags", AttributeValue.fromL(job.tags().stream().map(AttributeValue::fromS).toList()));
        }
        return m;
    }

    private static Schedule schedule(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> j = item.get("job").m();
        JobSpec job = new JobSpec(j.get("type").s(), text(j, "payload"), Integer.parseInt(j.get("maxAttempts").n()),
                Integer.parseInt(j.get("timeoutSeconds").n()), 0, text(j, "callbackUrl"), null)
                .withRateKey(text(j, "rateKey"))
                .withPriority(j.containsKey("priority") ? Priority.fromWire(j.get("priority").s()) : Priority.NORMAL)
                .withTags(j.containsKey("tags") ? j.get("tags").l().stream().map(AttributeValue::s).toList() : null);
        return new Schedule(item.get("tenantId").s(), item.get("name").s(), item.get("cron").s(),
                item.get("timezone").s(), job, item.get("enabled").bool(),
                Schedule.CatchUp.fromWire(item.get("catchUp").s()), instant(item, "nextFireAt"),
                instant(item, "lastFiredAt"), text(item, "lastJobId"), Long.parseLong(item.get("version").n()),
                instant(item, "createdAt"), instant(item, "updatedAt"));
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        return item.containsKey(name) ? item.get(name).s() : null;
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        return item.containsKey(name) ? Instant.ofEpochMilli(Long.parseLong(item.get(name).n())) : null;
    }

    private static void millis(Map<String, AttributeValue> item, String name, Instant value) {
        if (value != null) {
            item.put(name, AttributeValue.fromN(Long.toString(value.toEpochMilli())));
        }
    }
}
