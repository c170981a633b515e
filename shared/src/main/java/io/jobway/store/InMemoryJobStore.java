package io.jobway.store;

import io.jobway.job.Job;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The in-memory twin of {@link DynamoJobStore} for tests. It stores items, not objects, and copies every job
 * through {@link JobItemMapper}, so it behaves like the database (no shared mutable state, same rounding).
 */
public final class InMemoryJobStore implements JobStore {
    private final TreeMap<String, Map<String, AttributeValue>> items = new TreeMap<>();
    private final Map<String, IdempotencyRecord> keys = new HashMap<>();

    @Override
    public synchronized void create(Job job) {
        Map<String, AttributeValue> existing = items.get(job.jobId());
        if (existing == null) {
            items.put(job.jobId(), JobItemMapper.toItem(job));
        } else if (!JobItemMapper.isSameSubmission(existing, job)) {
            throw new JobAlreadyExists(job.jobId(), null);
        }
    }

    @Override
    public synchronized boolean delete(Job job) {
        Job current = JobItemMapper.fromItem(items.get(job.jobId()));
        if (current == null || current.version() != job.version()) {
            return false;
        }
        items.remove(job.jobId());
        if (job.idempotencyKey() != null) {
            keys.computeIfPresent(job.tenantId() + "#" + job.idempotencyKey(),
                    (k, record) -> record.jobId().equals(job.jobId()) ? null : record);
        }
        return true;
    }

    @Override
    public synchronized List<Job> createAll(List<Job> jobs) {
        jobs.forEach(job -> items.put(job.jobId(), JobItemMapper.toItem(job)));
        return List.of();
    }

    @Override
    public synchronized Optional<IdempotencyRecord> createIdempotent(Job job, IdempotencyRecord record, Instant now) {
        Optional<IdempotencyRecord> existing = findIdempotencyRecord(record.tenantId(), record.key(), now);
        if (existing.isPresent()) {
            return existing;
        }
        if (items.containsKey(job.jobId())) { // the transaction's condition: no item under the id at all
            throw new JobAlreadyExists(job.jobId(), null);
        }
        items.put(job.jobId(), JobItemMapper.toItem(job));
        keys.put(record.tenantId() + "#" + record.key(), record);
        return Optional.empty();
    }

    @Override
    public synchronized Optional<IdempotencyRecord> findIdempotencyRecord(String tenantId, String key, Instant now) {
        IdempotencyRecord record = keys.get(tenantId + "#" + key);
        return record == null || record.expiredAt(now) ? Optional.empty() : Optional.of(record);
    }

    @Override
    public synchronized Optional<Job> find(String jobId) {
        return Optional.ofNullable(JobItemMapper.fromItem(items.get(jobId)));
    }

    @Override
    public synchronized Job save(Job before, Job after) {
        SaveChecks.require(before, after);
        Job current = JobItemMapper.fromItem(items.get(before.jobId()));
        if (current == null || current.version() != before.version()) {
            throw new ConcurrentJobModification(before.jobId(), before.version(), null);
        }
        items.put(after.jobId(), JobItemMapper.toItem(after));
        return JobItemMapper.fromItem(items.get(after.jobId()));
    }

    @Override
    public synchronized ClaimResult claim(String jobId, String leaseToken, Instant now, Duration leaseFor) {
        Job current = JobItemMapper.fromItem(items.get(jobId));
        if (current == null) {
            return new ClaimResult.Missing();
        }
        if (!current.claimableAt(now)) {
            return new ClaimResult.NotClaimable(current);
        }
        Job claimed = current.claim(leaseToken, now, leaseFor);
        items.put(jobId, JobItemMapper.toItem(claimed));
        return new ClaimResult.Claimed(JobItemMapper.fromItem(items.get(jobId)));
    }

    @Override
    public synchronized boolean tombstoneIfAbsent(String jobId, Instant now) {
        if (items.containsKey(jobId)) {
            return find(jobId).isEmpty();
        }
        items.put(jobId, JobItemMapper.tombstone(jobId, now.plus(Duration.ofDays(1))));
        return true;
    }

    @Override
    public synchronized JobPage list(String tenantId, JobQuery query) {
        List<Job> matching = new ArrayList<>();
        for (String id : items.descendingKeySet()) {
            if (query.afterJobId() != null && id.compareTo(query.afterJobId()) >= 0) {
                continue;
            }
            Job job = JobItemMapper.fromItem(items.get(id));
            if (job != null && job.tenantId().equals(tenantId) && query.matches(job)) {
                if (matching.size() == query.limit()) {
                    return new JobPage(matching, matching.get(matching.size() - 1).jobId());
                }
                matching.add(job);
            }
        }
        return new JobPage(matching, null);
    }

    @Override
    public synchronized List<Job> findDue(Instant now, int limit) {
        return items.values().stream()
                .map(JobItemMapper::fromItem)
                .filter(j -> j != null && j.dueAt() != null && !j.dueAt().isAfter(now))
                .sorted(Comparator.comparing(Job::dueAt))
                .limit(limit)
                .toList();
    }
}
