package io.jobway.submit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobway.job.Job;
import io.jobway.job.JobIds;
import io.jobway.job.JobSpec;
import io.jobway.job.JobStatus;
import io.jobway.json.Digests;
import io.jobway.json.Json;
import io.jobway.obs.Log;
import io.jobway.queue.JobMessage;
import io.jobway.queue.JobQueue;
import io.jobway.store.IdempotencyRecord;
import io.jobway.store.JobAlreadyExists;
import io.jobway.store.JobStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Records and enqueues a job for a tenant: what the API does for {@code POST /v1/jobs} and the intake for an
 * inbound webhook, and what a running job does to start a follow-up. With an idempotency key, the same key and
 * request give the original job back; a different request with the key is refused.
 */
public final class JobSubmitter {
    /**
     * A batch's messages wait at least this long in the queue: its records are written after all its messages, 25
     * to a call, so a message sent at once nearly always reached a worker before its record (measured: 70% of a
     * 100-job batch), costing a refused claim (a write unit) and looks for the record each.
     */
    static final Duration BATCH_MIN_DELAY = Duration.ofSeconds(1);

    private final JobStore store;
    private final JobQueue queue;
    private final JobIds ids;
    private final Clock clock;

    public JobSubmitter(JobStore store, JobQueue queue, Clock clock) {
        this.store = store;
        this.queue = queue;
        this.ids = new JobIds(clock);
        this.clock = clock;
    }

    /** @param idempotencyWindow how long the spec's idempotency key (if any) is remembered */
    public Submission submit(String tenant, JobSpec spec, Duration idempotencyWindow) {
        String key = spec.idempotencyKey();
        Instant now = clock.instant();
        String requestHash = key == null ? null : Digests.sha256Hex(Json.write(specForHash(spec)));
        if (key != null) {
            Optional<IdempotencyRecord> existing = store.findIdempotencyRecord(tenant, key, now);
            if (existing.isPresent()) {
                return replay(existing.get(), requestHash);
            }
        }
        Job job = Job.submit(ids.next(), tenant, spec, now);
        // Enqueue first: a record never exists without its message. A message whose record never appears
        // is dropped by the worker after a few deliveries (see JobRunner). A scheduled job has no message yet:
        // its place in the due index is what has the sweeper send one.
        if (job.status() == JobStatus.QUEUED) {
            queue.send(JobMessage.of(job), job.delayAt(now));
        }
        if (key == null) {
            try {
                store.create(job);
            } catch (JobAlreadyExists e) {
                return new Submission.NotRecorded(job.jobId());
            }
        } else {
            Optional<IdempotencyRecord> raced = store.createIdempotent(job,
                    new IdempotencyRecord(tenant, key, job.jobId(), requestHash, now.plus(idempotencyWindow)), now);
            if (raced.isPresent()) {
                return replay(raced.get(), requestHash);
            }
        }
        Log.info("job.submitted", "jobId", job.jobId(), "tenantId", tenant, "type", job.type(),
                "status", job.status().wireName(), "runAt", job.runAt());
        return new Submission.Accepted(job);
    }

    /**
     * Submits many jobs for a tenant, each answered in order as {@link #submit} answers one. The jobs without an
     * idempotency key share the calls: their messages go out ten to a {@code SendMessageBatch}, then their records
     * 25 to a {@code BatchWriteItem}, still in that order (a message first, so no record is without one), each
     * message delayed at least {@link #BATCH_MIN_DELAY} so that its record is there when a worker gets it. A job
     * whose message or record was not written is answered {@link Submission.NotRecorded}: not accepted, retry it.
     * A job with a key goes alone, as {@link #submit}, since its key needs a conditional write with its record.
     */
    public List<Submission> submitAll(String tenant, List<JobSpec> specs, Duration idempotencyWindow) {
        Submission[] answers = new Submission[specs.size()];
        Instant now = clock.instant();
        List<Integer> batched = new ArrayList<>();
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            if (specs.get(i).idempotencyKey() != null) {
                answers[i] = submit(tenant, specs.get(i), idempotencyWindow);
            } else {
                batched.add(i);
                jobs.add(Job.submit(ids.next(), tenant, specs.get(i), now));
            }
        }
        List<Integer> queuedAt = new ArrayList<>();
        for (int j = 0; j < jobs.size(); j++) {
            if (jobs.get(j).status() == JobStatus.QUEUED) {
                queuedAt.add(j);
            }
        }
        Set<Integer> unsent = queue.sendAll(queuedAt.stream().map(j -> JobMessage.of(jobs.get(j))).toList(),
                queuedAt.stream().map(j -> atLeast(jobs.get(j).delayAt(now), BATCH_MIN_DELAY)).toList());
        Set<Integer> notSent = new HashSet<>();
        unsent.forEach(k -> notSent.add(queuedAt.get(k)));
        List<Job> toWrite = new ArrayList<>();
        for (int j = 0; j < jobs.size(); j++) {
            if (!notSent.contains(j)) {
                toWrite.add(jobs.get(j));
            }
        }
        Set<String> unwritten = new HashSet<>();
        store.createAll(toWrite).forEach(job -> unwritten.add(job.jobId()));
        for (int j = 0; j < jobs.size(); j++) {
            Job job = jobs.get(j);
            boolean accepted = !notSent.contains(j) && !unwritten.contains(job.jobId());
            answers[batched.get(j)] = accepted ? new Submission.Accepted(job) : new Submission.NotRecorded(job.jobId());
        }
        Log.info("jobs.submitted", "tenantId", tenant, "jobs", specs.size(), "batched", jobs.size(),
                "notSent", notSent.size(), "notWritten", unwritten.size());
        return List.of(answers);
    }

    private static Duration atLeast(Duration delay, Duration least) {
        return delay.compareTo(least) < 0 ? least : delay;
    }

    private Submission replay(IdempotencyRecord existing, String requestHash) {
        if (!existing.requestHash().equals(requestHash)) {
            return new Submission.KeyReused(existing.jobId());
        }
        return store.find(existing.jobId()).<Submission>map(Submission.Replayed::new)
                .orElseGet(() -> new Submission.KeyInFlight(existing.jobId()));
    }

    private static ObjectNode specForHash(JobSpec spec) {
        ObjectNode node = Json.object();
        node.put("type", spec.type());
        // key order inside the payload does not make a different request
        node.put("payload", spec.payload() == null ? null : Json.canonical(Json.parse(spec.payload())));
        node.put("maxAttempts", spec.maxAttempts());
        node.put("timeoutSeconds", spec.timeoutSeconds());
        node.put("delaySeconds", spec.delaySeconds());
        // fields added later enter the hash only when set, so keys recorded before them still match
        if (spec.runAt() != null) {
            node.put("runAt", spec.runAt().toString());
        }
        node.put("callbackUrl", spec.callbackUrl());
        if (spec.rateKey() != null) {
            node.put("rateKey", spec.rateKey());
        }
        if (spec.priority() != io.jobway.job.Priority.NORMAL) {
            node.put("priority", spec.priority().wireName());
        }
        if (!spec.tags().isEmpty()) { // a set: the order they are given in does not make a different request
            spec.tags().stream().sorted().forEach(node.putArray("tags")::add);
        }
        return node;
    }
}
