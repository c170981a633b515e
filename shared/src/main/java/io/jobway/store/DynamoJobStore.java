package io.jobway.store;

import io.jobway.job.Job;
import io.jobway.job.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** {@link JobStore} on DynamoDB: the jobs table plus a small idempotency-key table. */
public final class DynamoJobStore implements JobStore {
    /** Largest page of index keys read per query while filling a listing. */
    private static final int INDEX_PAGE = 100;
    /** A listing reads at most this many index keys before handing back a cursor. */
    private static final int MAX_KEYS_PER_LISTING = 1_000;
    private static final Duration TOMBSTONE_RETENTION = Duration.ofDays(1);
    private static final String IDEMPOTENCY_PK = "pk";

    private final DynamoDbClient dynamo;
    private final String jobsTable;
    private final String idempotencyTable;

    public DynamoJobStore(DynamoDbClient dynamo, String jobsTable, String idempotencyTable) {
        this.dynamo = dynamo;
        this.jobsTable = jobsTable;
        this.idempotencyTable = idempotencyTable;
    }

    @Override
    public void create(Job job) {
        try {
            dynamo.putItem(b -> b.tableName(jobsTable).item(JobItemMapper.toItem(job))
                    .conditionExpression("attribute_not_exists(jobId)")
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES));
        } catch (ConditionalCheckFailedException e) {
            // The SDK retries a call whose answer timed out; if the first attempt was written, the retry finds
            // this very job (perhaps already claimed). That is a success, not a taken id: answering "not
            // recorded" would have the client submit again and the job run twice.
            if (!JobItemMapper.isSameSubmission(e.item(), job)) {
                throw new JobAlreadyExists(job.jobId(), e);
            }
        }
    }

    /** How many times the items DynamoDB leaves unprocessed (throttling) are written again. */
    static final int BATCH_WRITE_TRIES = 4;

    @Override
    public List<Job> createAll(List<Job> jobs) {
        List<Job> notWritten = new ArrayList<>();
        for (int from = 0; from < jobs.size(); from += 25) {
            List<Job> chunk = jobs.subList(from, Math.min(from + 25, jobs.size()));
            Map<String, Job> byId = new HashMap<>();
            List<WriteRequest> requests = new ArrayList<>();
            for (Job job : chunk) {
                byId.put(job.jobId(), job);
                requests.add(WriteRequest.builder().putRequest(PutRequest.builder().item(JobItemMapper.toItem(job))
                        .build()).build());
            }
            for (int tries = 0; !requests.isEmpty() && tries < BATCH_WRITE_TRIES; tries++) {
                if (tries > 0) {
                    pause(Duration.ofMillis(25L << tries));
                }
                List<WriteRequest> pending = requests;
                try {
                    var response = dynamo.batchWriteItem(b -> b.requestItems(Map.of(jobsTable, pending))
                            .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES));
                    requests = response.hasUnprocessedItems()
                            ? response.unprocessedItems().getOrDefault(jobsTable, List.of()) : List.of();
                } catch (RuntimeException e) {
                    break; // these stay unwritten; the caller answers for them
                }
            }
            requests.forEach(r -> notWritten.add(byId.get(r.putRequest().item().get(JobItemMapper.JOB_ID).s())));
        }
        return notWritten;
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public Optional<IdempotencyRecord> createIdempotent(Job job, IdempotencyRecord record, Instant now) {
        Put jobPut = Put.builder().tableName(jobsTable).item(JobItemMapper.toItem(job))
                .conditionExpression("attribute_not_exists(jobId)").build();
        // An expired key may be taken again: DynamoDB's TTL deletes lazily (and DynamoDB Local never does).
        Put keyPut = Put.builder().tableName(idempotencyTable).item(idempotencyItem(record))
                .conditionExpression("attribute_not_exists(pk) OR expiresAt <= :now")
                .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(Long.toString(now.getEpochSecond()))))
                .build();
        try {
            dynamo.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().put(jobPut).build(),
                    TransactWriteItem.builder().put(keyPut).build())
                    .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES));
            return Optional.empty();
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            if (reasons.size() > 1 && "ConditionalCheckFailed".equals(reasons.get(1).code())) {
                Optional<IdempotencyRecord> existing = findIdempotencyRecord(record.tenantId(), record.key(), now);
                if (existing.isPresent()) {
                    return existing;
                }
            }
            if (!reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code())) {
                throw new JobAlreadyExists(job.jobId(), e);
            }
            throw new ConcurrentJobModification(job.jobId(), job.version(), e);
        }
    }

    @Override
    public Optional<IdempotencyRecord> findIdempotencyRecord(String tenantId, String key, Instant now) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(idempotencyTable).consistentRead(true)
                .key(Map.of(IDEMPOTENCY_PK, AttributeValue.fromS(idempotencyPk(tenantId, key))))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        IdempotencyRecord record = new IdempotencyRecord(tenantId, key, item.get("jobId").s(),
                item.get("requestHash").s(), Instant.ofEpochSecond(Long.parseLong(item.get("expiresAt").n())));
        return record.expiredAt(now) ? Optional.empty() : Optional.of(record);
    }

    @Override
    public Optional<Job> find(String jobId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(jobsTable).consistentRead(true)
                .key(JobItemMapper.key(jobId))).item();
        return Optional.ofNullable(JobItemMapper.fromItem(item));
    }

    @Override
    public Job save(Job before, Job after) {
        SaveChecks.require(before, after);
        try {
            dynamo.putItem(b -> b.tableName(jobsTable).item(JobItemMapper.toItem(after))
                    .conditionExpression("version = :expected")
                    .expressionAttributeValues(Map.of(":expected", AttributeValue.fromN(Long.toString(before.version()))))
                    .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES));
            return after;
        } catch (ConditionalCheckFailedException e) {
            throw new ConcurrentJobModification(before.jobId(), before.version(), e);
        }
    }

    @Override
    public boolean delete(Job job) {
        Delete jobDelete = Delete.builder().tableName(jobsTable).key(JobItemMapper.key(job.jobId()))
                .conditionExpression("version = :expected")
                .expressionAttributeValues(Map.of(":expected", AttributeValue.fromN(Long.toString(job.version()))))
                .build();
        if (job.idempotencyKey() == null) {
            return deleteJobOnly(jobDelete);
        }
        // the key's record goes with its job, in one transaction; a record that names another job (the key expired
        // and was taken again) stays
        Delete keyDelete = Delete.builder().tableName(idempotencyTable)
                .key(Map.of(IDEMPOTENCY_PK, AttributeValue.fromS(idempotencyPk(job.tenantId(), job.idempotencyKey()))))
                .conditionExpression("attribute_not_exists(" + IDEMPOTENCY_PK + ") OR jobId = :job")
                .expressionAttributeValues(Map.of(":job", AttributeValue.fromS(job.jobId()))).build();
        try {
            dynamo.transactWriteItems(b -> b.transactItems(TransactWriteItem.builder().delete(jobDelete).build(),
                    TransactWriteItem.builder().delete(keyDelete).build()));
            return true;
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            if (reasons.size() > 1 && "ConditionalCheckFailed".equals(reasons.get(1).code())
                    && !"ConditionalCheckFailed".equals(reasons.get(0).code())) {
                return deleteJobOnly(jobDelete);
            }
            if (!reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code())) {
                return false;
            }
            throw e;
        }
    }

    private boolean deleteJobOnly(Delete jobDelete) {
        try {
            dynamo.deleteItem(b -> b.tableName(jobDelete.tableName()).key(jobDelete.key())
                    .conditionExpression(jobDelete.conditionExpression())
                    .expressionAttributeValues(jobDelete.expressionAttributeValues()));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * {@link Job#claimableAt} as a DynamoDB condition, term by term in the same order (the Java term is in the
     * comment); the statuses are {@link JobStatus#claimable()}. The store contract holds the two together.
     */
    private static final String CLAIM_CONDITION = String.join(" AND ",
            "attribute_exists(jobId)",
            "#status IN (" + placeholders(JobStatus.claimable()) + ")",             // claimable().contains(status)
            "(#status <> :running OR attribute_not_exists(leaseUntil) OR leaseUntil <= :now)", // || leaseExpired(now)
            "attempt < maxAttempts",                                                // attemptsLeft()
            "(attribute_not_exists(cancelRequested) OR cancelRequested <> :true)",  // !cancelRequested
            "(attribute_not_exists(runAt) OR runAt <= :runBy)");                    // runAt <= now + CLOCK_SKEW

    private static String placeholders(Set<JobStatus> statuses) {
        return String.join(", ", statuses.stream().map(DynamoJobStore::placeholder).toList());
    }

    private static String placeholder(JobStatus status) {
        return ":" + status.wireName();
    }

    @Override
    public ClaimResult claim(String jobId, String leaseToken, Instant now, Duration leaseFor) {
        Map<String, String> names = Map.of("#status", JobItemMapper.STATUS, "#attempts", JobItemMapper.ATTEMPTS);
        Map<String, AttributeValue> values = new HashMap<>();
        JobStatus.claimable().forEach(s -> values.put(placeholder(s), AttributeValue.fromS(s.wireName())));
        values.put(placeholder(JobStatus.RUNNING), AttributeValue.fromS(JobStatus.RUNNING.wireName()));
        values.put(":now", millis(now));
        values.put(":until", millis(now.plus(leaseFor)));
        values.put(":token", AttributeValue.fromS(leaseToken));
        values.put(":one", AttributeValue.fromN("1"));
        values.put(":true", AttributeValue.fromBool(true));
        values.put(":runBy", millis(now.plus(Job.CLOCK_SKEW)));
        values.put(":started", AttributeValue.fromL(List.of(JobItemMapper.startedAttempt(now))));
        values.put(":none", AttributeValue.fromL(List.of()));
        // The new attempt joins the history in the same write, unnumbered (JobItemMapper numbers it on reading). The
        // stored history may then hold more than Attempt.KEPT, one more per claim since the job was last written
        // whole (its workers keep dying), until the next whole write, such as the attempt's outcome, trims it.
        try {
            Map<String, AttributeValue> item = dynamo.updateItem(b -> b.tableName(jobsTable)
                    .key(JobItemMapper.key(jobId))
                    .conditionExpression(CLAIM_CONDITION)
                    .updateExpression("SET #status = :running, attempt = attempt + :one, leaseToken = :token,"
                            + " leaseUntil = :until, startedAt = :now, updatedAt = :now, version = version + :one,"
                            + " #attempts = list_append(if_not_exists(#attempts, :none), :started)"
                            + " REMOVE progress, dueShard, dueAt, deferredUntil")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES)).attributes();
            return new ClaimResult.Claimed(JobItemMapper.fromItem(item));
        } catch (ConditionalCheckFailedException e) {
            Job current = e.hasItem() ? JobItemMapper.fromItem(e.item()) : null;
            return current == null ? new ClaimResult.Missing() : new ClaimResult.NotClaimable(current);
        }
    }

    @Override
    public boolean tombstoneIfAbsent(String jobId, Instant now) {
        try {
            dynamo.putItem(b -> b.tableName(jobsTable)
                    .item(JobItemMapper.tombstone(jobId, now.plus(TOMBSTONE_RETENTION)))
                    .conditionExpression("attribute_not_exists(jobId)"));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return find(jobId).isEmpty();
        }
    }

    @Override
    public JobPage list(String tenantId, JobQuery query) {
        List<Job> items = new ArrayList<>();
        Map<String, AttributeValue> startKey = query.afterJobId() == null ? null : Map.of(
                JobItemMapper.TENANT_ID, AttributeValue.fromS(tenantId),
                JobItemMapper.JOB_ID, AttributeValue.fromS(query.afterJobId()));
        boolean unfiltered = query.unfiltered();
        int keysRead = 0;
        String lastSeen = null;
        while (true) {
            Map<String, AttributeValue> exclusiveStart = startKey;
            QueryResponse page = dynamo.query(b -> b.tableName(jobsTable).indexName(JobItemMapper.BY_TENANT_INDEX)
                    .keyConditionExpression("tenantId = :t")
                    .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(tenantId)))
                    .scanIndexForward(false)
                    .limit(unfiltered ? query.limit() - items.size() : INDEX_PAGE)
                    .exclusiveStartKey(exclusiveStart));
            List<String> ids = page.items().stream().map(i -> i.get(JobItemMapper.JOB_ID).s()).toList();
            Map<String, Job> jobs = batchGet(ids);
            for (int i = 0; i < ids.size(); i++) {
                String id = ids.get(i);
                lastSeen = id;
                keysRead++;
                Job job = jobs.get(id);
                if (job != null && query.matches(job)) {
                    items.add(job);
                    if (items.size() == query.limit()) {
                        boolean more = i < ids.size() - 1 || hasMore(page);
                        return new JobPage(items, more ? id : null);
                    }
                }
            }
            if (!hasMore(page)) {
                return new JobPage(items, null);
            }
            if (keysRead >= MAX_KEYS_PER_LISTING) {
                return new JobPage(items, lastSeen);
            }
            startKey = page.lastEvaluatedKey();
        }
    }

    private static boolean hasMore(QueryResponse page) {
        return page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty();
    }

    private Map<String, Job> batchGet(List<String> ids) {
        Map<String, Job> jobs = new LinkedHashMap<>();
        List<Map<String, AttributeValue>> pending = ids.stream().distinct().map(JobItemMapper::key).toList();
        for (int start = 0; start < pending.size(); start += 100) {
            Map<String, KeysAndAttributes> request = Map.of(jobsTable, KeysAndAttributes.builder()
                    .keys(pending.subList(start, Math.min(pending.size(), start + 100))).build());
            while (request != null && !request.isEmpty()) {
                Map<String, KeysAndAttributes> current = request;
                BatchGetItemResponse response = dynamo.batchGetItem(b -> b.requestItems(current));
                response.responses().getOrDefault(jobsTable, List.of()).forEach(item -> {
                    Job job = JobItemMapper.fromItem(item);
                    if (job != null) {
                        jobs.put(job.jobId(), job);
                    }
                });
                request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : null;
            }
        }
        return jobs;
    }

    @Override
    public List<Job> findDue(Instant now, int limit) {
        List<Job> due = new ArrayList<>();
        for (int shard = 0; shard < JobItemMapper.DUE_SHARDS && due.size() < limit; shard++) {
            String shardKey = Integer.toString(shard);
            int remaining = limit - due.size();
            dynamo.query(b -> b.tableName(jobsTable).indexName(JobItemMapper.BY_DUE_INDEX)
                            .keyConditionExpression("dueShard = :s AND dueAt <= :now")
                            .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(shardKey), ":now", millis(now)))
                            .limit(remaining))
                    .items().forEach(item -> {
                        Job job = JobItemMapper.fromItem(item);
                        if (job != null) {
                            due.add(job);
                        }
                    });
        }
        return due;
    }

    private static Map<String, AttributeValue> idempotencyItem(IdempotencyRecord record) {
        return Map.of(
                IDEMPOTENCY_PK, AttributeValue.fromS(idempotencyPk(record.tenantId(), record.key())),
                "jobId", AttributeValue.fromS(record.jobId()),
                "requestHash", AttributeValue.fromS(record.requestHash()),
                "expiresAt", AttributeValue.fromN(Long.toString(record.expiresAt().getEpochSecond())));
    }

    private static String idempotencyPk(String tenantId, String key) {
        return tenantId + "#" + key;
    }

    private static AttributeValue millis(Instant instant) {
        return AttributeValue.fromN(Long.toString(instant.toEpochMilli()));
    }
}
