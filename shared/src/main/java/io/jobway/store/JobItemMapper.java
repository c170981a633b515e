package io.jobway.store;

import io.jobway.job.Attempt;
import io.jobway.job.Job;
import io.jobway.job.JobError;
import io.jobway.job.JobStatus;
import io.jobway.job.Priority;
import io.jobway.job.Progress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The explicit mapping between a {@link Job} and its DynamoDB item. Times are epoch milliseconds (so
 * conditions can compare them), except {@code expiresAt}, which is epoch seconds because TTL wants that.
 */
public final class JobItemMapper {
    public static final String JOB_ID = "jobId";
    public static final String TENANT_ID = "tenantId";
    public static final String STATUS = "status";
    public static final String VERSION = "version";
    public static final String LEASE_UNTIL = "leaseUntil";
    public static final String DUE_SHARD = "dueShard";
    public static final String DUE_AT = "dueAt";
    public static final String DEFERRED_UNTIL = "deferredUntil";
    public static final String EXPIRES_AT = "expiresAt";
    /**
     * The job's history: a list of maps with short names, as it rides along on every write: {@code n} the attempt's
     * number, {@code s} and {@code f} its start and end, {@code o} its outcome, {@code et} and {@code em} its error's
     * type and message. An attempt the store's claim appended has only {@code s} ({@link #attempts}).
     */
    public static final String ATTEMPTS = "attempts";
    public static final String TOMBSTONE = "tombstone";
    /** The job's tags, a list of strings in the order given; absent for a job without any (and every older item). */
    public static final String TAGS = "tags";
    /** The keys-only index that lists a tenant's jobs newest first (job ids are time-ordered). */
    public static final String BY_TENANT_INDEX = "byTenant";
    /** The sparse index of jobs the sweeper must look at; only items with {@code dueShard} are in it. */
    public static final String BY_DUE_INDEX = "byDue";
    public static final int DUE_SHARDS = 4;

    private JobItemMapper() {
    }

    public static Map<String, AttributeValue> toItem(Job job) {
        Map<String, AttributeValue> item = new HashMap<>();
        putS(item, JOB_ID, job.jobId());
        putS(item, TENANT_ID, job.tenantId());
        putS(item, "type", job.type());
        putS(item, STATUS, job.status().wireName());
        putS(item, "payload", job.payload());
        putS(item, "result", job.result());
        if (job.lastError() != null) {
            Map<String, AttributeValue> error = new HashMap<>();
            putS(error, "message", job.lastError().message());
            putS(error, "type", job.lastError().type());
            putMillis(error, "at", job.lastError().at());
            putS(error, "stack", job.lastError().stack());
            item.put("lastError", AttributeValue.fromM(error));
        }
        putN(item, "attempt", job.attempt());
        if (!job.attempts().isEmpty()) { // a job not yet run stays as small as before
            item.put(ATTEMPTS, AttributeValue.fromL(job.attempts().stream().map(JobItemMapper::attemptItem).toList()));
        }
        putN(item, "maxAttempts", job.maxAttempts());
        putN(item, "timeoutSeconds", job.timeoutSeconds());
        putMillis(item, "runAt", job.runAt());
        putMillis(item, "createdAt", job.createdAt());
        putMillis(item, "startedAt", job.startedAt());
        putMillis(item, "finishedAt", job.finishedAt());
        putMillis(item, "updatedAt", job.updatedAt());
        if (job.progress() != null) {
            Map<String, AttributeValue> progress = new HashMap<>();
            putN(progress, "percent", job.progress().percent());
            putS(progress, "message", job.progress().message());
            item.put("progress", AttributeValue.fromM(progress));
        }
        putS(item, "leaseToken", job.leaseToken());
        putMillis(item, LEASE_UNTIL, job.leaseUntil());
        if (job.cancelRequested()) {
            item.put("cancelRequested", AttributeValue.fromBool(true));
        }
        putS(item, "idempotencyKey", job.idempotencyKey());
        putS(item, "callbackUrl", job.callbackUrl());
        putS(item, "rateKey", job.rateKey());
        if (job.priority() != Priority.NORMAL) { // most jobs are normal: the item stays as small as before
            putS(item, "priority", job.priority().wireName());
        }
        if (!job.tags().isEmpty()) { // a job without tags stays as small as before
            item.put(TAGS, AttributeValue.fromL(job.tags().stream().map(AttributeValue::fromS).toList()));
        }
        putN(item, VERSION, job.version());
        if (job.expiresAt() != null) {
            putN(item, EXPIRES_AT, job.expiresAt().getEpochSecond());
        }
        putMillis(item, DEFERRED_UNTIL, job.deferredUntil());
        if (job.dueAt() != null) {
            putS(item, DUE_SHARD, dueShard(job.jobId()));
            putMillis(item, DUE_AT, job.dueAt());
        }
        return item;
    }

    /** Null for a tombstone: an id a worker gave up on, which is not a job. */
    public static Job fromItem(Map<String, AttributeValue> item) {
        if (item == null || item.isEmpty() || item.containsKey(TOMBSTONE)) {
            return null;
        }
        return Job.restore(
                s(item, JOB_ID),
                s(item, TENANT_ID),
                s(item, "type"),
                JobStatus.fromWire(s(item, STATUS)),
                s(item, "payload"),
                s(item, "result"),
                error(item.get("lastError")),
                (int) n(item, "attempt"),
                attempts(item.get(ATTEMPTS), (int) n(item, "attempt")),
                (int) n(item, "maxAttempts"),
                (int) n(item, "timeoutSeconds"),
                millis(item, "runAt"),
                millis(item, "createdAt"),
                millis(item, "startedAt"),
                millis(item, "finishedAt"),
                millis(item, "updatedAt"),
                progress(item.get("progress")),
                s(item, "leaseToken"),
                millis(item, LEASE_UNTIL),
                item.containsKey("cancelRequested") && item.get("cancelRequested").bool(),
                s(item, "idempotencyKey"),
                s(item, "callbackUrl"),
                s(item, "rateKey"),
                item.containsKey("priority") ? Priority.fromWire(s(item, "priority")) : Priority.NORMAL,
                n(item, VERSION),
                item.containsKey(EXPIRES_AT) ? Instant.ofEpochSecond(n(item, EXPIRES_AT)) : null,
                millis(item, DUE_AT),
                millis(item, DEFERRED_UNTIL),
                item.containsKey(TAGS) ? item.get(TAGS).l().stream().map(AttributeValue::s).toList() : List.of());
    }

    /**
     * True when {@code item} is {@code job} as submitted, whatever happened to it since (claimed, finished):
     * the same tenant, type and creation time under its id. Ids are random, so nothing else matches.
     */
    static boolean isSameSubmission(Map<String, AttributeValue> item, Job job) {
        Job stored = fromItem(item);
        return stored != null && stored.tenantId().equals(job.tenantId()) && stored.type().equals(job.type())
                && stored.createdAt().equals(job.createdAt());
    }

    public static Map<String, AttributeValue> tombstone(String jobId, Instant expiresAt) {
        return Map.of(JOB_ID, AttributeValue.fromS(jobId), TOMBSTONE, AttributeValue.fromBool(true),
                EXPIRES_AT, AttributeValue.fromN(Long.toString(expiresAt.getEpochSecond())));
    }

    public static Map<String, AttributeValue> key(String jobId) {
        return Map.of(JOB_ID, AttributeValue.fromS(jobId));
    }

    /** Spreads due items over a few partitions of the sparse index. */
    public static String dueShard(String jobId) {
        return Integer.toString(Math.floorMod(jobId.hashCode(), DUE_SHARDS));
    }

    private static JobError error(AttributeValue value) {
        if (value == null) {
            return null;
        }
        Map<String, AttributeValue> m = value.m();
        return new JobError(s(m, "message"), s(m, "type"), millis(m, "at"), s(m, "stack"));
    }

    /** One attempt of the history, the way the store's claim appends it: {@code s} is all a claim writes. */
    public static AttributeValue startedAttempt(Instant startedAt) {
        return AttributeValue.fromM(Map.of("s", AttributeValue.fromN(Long.toString(startedAt.toEpochMilli()))));
    }

    private static AttributeValue attemptItem(Attempt attempt) {
        Map<String, AttributeValue> m = new HashMap<>();
        putN(m, "n", attempt.number());
        putMillis(m, "s", attempt.startedAt());
        putMillis(m, "f", attempt.finishedAt());
        if (attempt.outcome() != null) {
            putS(m, "o", attempt.outcome().wireName());
        }
        putS(m, "et", attempt.errorType());
        putS(m, "em", attempt.errorMessage());
        return AttributeValue.fromM(m);
    }

    /**
     * The history as stored. DynamoDB's claim appends its attempt in the update that counts it, where an expression
     * cannot put the new count into the list, so that attempt has no number. Every other write is a whole job, which
     * numbers them all, so the unnumbered ones are the last, one per claim since: they count back from
     * {@code attempt}.
     */
    private static List<Attempt> attempts(AttributeValue value, int attempt) {
        if (value == null) {
            return List.of();
        }
        List<AttributeValue> stored = value.l();
        List<Attempt> attempts = new ArrayList<>(stored.size());
        for (int i = 0; i < stored.size(); i++) {
            Map<String, AttributeValue> m = stored.get(i).m();
            int number = m.containsKey("n") ? (int) n(m, "n") : attempt - (stored.size() - 1 - i);
            String outcome = s(m, "o");
            attempts.add(new Attempt(number, millis(m, "s"), millis(m, "f"),
                    outcome == null ? null : Attempt.Outcome.fromWire(outcome), s(m, "et"), s(m, "em")));
        }
        return attempts;
    }

    private static Progress progress(AttributeValue value) {
        if (value == null) {
            return null;
        }
        Map<String, AttributeValue> m = value.m();
        return new Progress((int) n(m, "percent"), s(m, "message"));
    }

    private static void putS(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, AttributeValue.fromS(value));
        }
    }

    private static void putN(Map<String, AttributeValue> item, String name, long value) {
        item.put(name, AttributeValue.fromN(Long.toString(value)));
    }

    private static void putMillis(Map<String, AttributeValue> item, String name, Instant value) {
        if (value != null) {
            putN(item, name, value.toEpochMilli());
        }
    }

    private static String s(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    private static long n(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? 0 : Long.parseLong(v.n());
    }

    private static Instant millis(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : Instant.ofEpochMilli(Long.parseLong(v.n()));
    }
}
