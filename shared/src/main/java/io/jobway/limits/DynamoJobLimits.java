package io.jobway.limits;

import io.jobway.job.Job;
import io.jobway.obs.Log;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * Per-key limits kept in LimitsTable next to their definitions ({@link LimitStore}), every count a conditional
 * write, so they hold with any number of workers at once:
 * <ul>
 *   <li>a rate is a counter per key and fixed window (windows start at multiples of the period since the epoch:
 *       a {@code 1d} window is a UTC day), taken with {@code ADD} on the condition that it is under the limit;</li>
 *   <li>running slots are one item per key holding the running jobs' ids with their lease ends; a slot is taken by
 *       a write conditional on the item's version, and a crashed worker's slot counts only until its lease ends.</li>
 * </ul>
 * The running slot is taken before the rate, so a job refused for want of a slot spends none of the window.
 * Definitions are cached for {@link #DEFINITION_TTL} per worker: a changed limit applies within that.
 */
public final class DynamoJobLimits implements JobLimits {
    static final Duration DEFINITION_TTL = Duration.ofSeconds(30);
    /** A job refused for a slot looks again this long later (plus up to as much again, spread), or when a lease ends. */
    static final Duration SLOT_RECHECK = Duration.ofSeconds(2);
    static final int SLOT_WRITE_TRIES = 8;
    /** Counters outlive their window by this long, then TTL removes them. */
    static final Duration COUNTER_KEPT = Duration.ofDays(1);

    private final DynamoDbClient dynamo;
    private final String table;
    private final LimitStore definitions;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Optional<JobLimit> limit, long readAtNanos) {
    }

    public DynamoJobLimits(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
        this.definitions = new LimitStore(dynamo, table);
    }

    @Override
    public Admission admit(Job job, Instant leaseUntil, Instant now) {
        if (job.rateKey() == null) {
            return Admission.FREE;
        }
        Optional<JobLimit> found = limitOf(job);
        if (found.isEmpty()) {
            return Admission.FREE;
        }
        JobLimit limit = found.get();
        boolean holdsSlot = false;
        if (limit.limitsRunning()) {
            Optional<Instant> full = takeSlot(job, limit.maxRunning(), leaseUntil, now);
            if (full.isPresent()) {
                return new Admission.Refused(full.get(), limit.maxRunning() + " of " + limit.maxRunning()
                        + " running for " + job.type() + " key " + job.rateKey());
            }
            holdsSlot = true;
        }
        if (limit.limitsRate()) {
            Optional<Instant> windowEnd = countInWindow(job, limit, now);
            if (windowEnd.isPresent()) {
                if (holdsSlot) {
                    release(job, new Admission.Admitted(true));
                }
                return new Admission.Refused(windowEnd.get(), limit.rateLimit() + " per "
                        + JobLimit.formatPeriod(limit.ratePer()) + " used for " + job.type() + " key " + job.rateKey());
            }
        }
        return new Admission.Admitted(holdsSlot);
    }

    @Override
    public void release(Job job, Admission.Admitted admission) {
        if (!admission.holdsSlot()) {
            return;
        }
        try {
            // The version moves too, so a slot taken from a read made before this release is written again.
            dynamo.updateItem(b -> b.tableName(table).key(slotsKey(job))
                    .updateExpression("REMOVE slots.#job SET version = if_not_exists(version, :zero) + :one")
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeNames(Map.of("#job", job.jobId()))
                    .expressionAttributeValues(Map.of(":zero", AttributeValue.fromN("0"), ":one", AttributeValue.fromN("1"))));
        } catch (ConditionalCheckFailedException gone) {
            // nothing held
        } catch (RuntimeException e) {
            Log.warn("limits.release-failed", "jobId", job.jobId(), "rateKey", job.rateKey(), "error", e.toString(),
                    "action", "the slot frees when the attempt's lease ends");
        }
    }

    private Optional<JobLimit> limitOf(Job job) {
        String cacheKey = job.tenantId() + "\u0000" + job.type() + "\u0000" + job.rateKey();
        Cached cached = cache.get(cacheKey);
        long nowNanos = System.nanoTime();
        if (cached == null || nowNanos - cached.readAtNanos() > DEFINITION_TTL.toNanos()) {
            cached = new Cached(definitions.find(job.tenantId(), job.type(), job.rateKey()), nowNanos);
            cache.put(cacheKey, cached);
        }
        return cached.limit();
    }

    /** Empty when counted; else the end of the full window. */
    private Optional<Instant> countInWindow(Job job, JobLimit limit, Instant now) {
        long period = limit.ratePer().toSeconds();
        long start = Math.floorDiv(now.getEpochSecond(), period) * period;
        Instant end = Instant.ofEpochSecond(start + period);
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(Map.of(LimitStore.PK, AttributeValue.fromS(counterPartition("rate", job)),
                            LimitStore.SK, AttributeValue.fromS(Long.toString(start))))
                    .updateExpression("ADD #n :one SET expiresAt = :expires")
                    .conditionExpression("attribute_not_exists(#n) OR #n < :limit")
                    .expressionAttributeNames(Map.of("#n", "count"))
                    .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"),
                            ":limit", AttributeValue.fromN(Integer.toString(limit.rateLimit())),
                            ":expires", AttributeValue.fromN(Long.toString(end.plus(COUNTER_KEPT).getEpochSecond())))));
            return Optional.empty();
        } catch (ConditionalCheckFailedException full) {
            return Optional.of(end);
        }
    }

    /** Empty when a slot was taken; else when to look again. */
    private Optional<Instant> takeSlot(Job job, int max, Instant leaseUntil, Instant now) {
        Map<String, AttributeValue> key = slotsKey(job);
        for (int tries = 0; tries < SLOT_WRITE_TRIES; tries++) {
            Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key).consistentRead(true))
                    .item();
            boolean exists = item != null && !item.isEmpty();
            long version = exists && item.containsKey("version") ? Long.parseLong(item.get("version").n()) : 0;
            Map<String, AttributeValue> live = new HashMap<>();
            Instant firstEnd = null;
            if (exists && item.containsKey("slots")) {
                for (var slot : item.get("slots").m().entrySet()) {
                    Instant end = Instant.ofEpochMilli(Long.parseLong(slot.getValue().n()));
                    if (end.isAfter(now) && !slot.getKey().equals(job.jobId())) {
                        live.put(slot.getKey(), slot.getValue());
                        firstEnd = firstEnd == null || end.isBefore(firstEnd) ? end : firstEnd;
                    }
                }
            }
            if (live.size() >= max) {
                Instant recheck = now.plus(SLOT_RECHECK)
                        .plusMillis(ThreadLocalRandom.current().nextLong(SLOT_RECHECK.toMillis() + 1));
                return Optional.of(firstEnd.isBefore(recheck) ? firstEnd : recheck);
            }
            live.put(job.jobId(), AttributeValue.fromN(Long.toString(leaseUntil.toEpochMilli())));
            Map<String, AttributeValue> next = new HashMap<>(key);
            next.put("slots", AttributeValue.fromM(live));
            next.put("version", AttributeValue.fromN(Long.toString(version + 1)));
            next.put("expiresAt", AttributeValue.fromN(Long.toString(leaseUntil.plus(COUNTER_KEPT).getEpochSecond())));
            var put = PutItemRequest.builder().tableName(table).item(next);
            if (exists) {
                put.conditionExpression("version = :v")
                        .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(Long.toString(version))));
            } else {
                put.conditionExpression("attribute_not_exists(pk)");
            }
            try {
                dynamo.putItem(put.build());
                return Optional.empty();
            } catch (ConditionalCheckFailedException raced) {
                // another worker took or gave back a slot since the read: read again
            }
        }
        return Optional.of(now.plus(SLOT_RECHECK));
    }

    private Map<String, AttributeValue> slotsKey(Job job) {
        return Map.of(LimitStore.PK, AttributeValue.fromS(counterPartition("running", job)),
                LimitStore.SK, AttributeValue.fromS("slots"));
    }

    private static String counterPartition(String kind, Job job) {
        return kind + "#" + job.tenantId() + "#" + job.type() + "#" + job.rateKey();
    }
}
