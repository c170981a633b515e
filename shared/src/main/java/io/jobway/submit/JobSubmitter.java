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
import java.util.Optional;

/**
 * Records and enqueues a job for a tenant: what the API does for {@code POST /v1/jobs} and the intake for an
 * inbound webhook, and what a running job does to start a follow-up. With an idempotency key, the same key and
 * request give the original job back; a different request with the key is refused.
 */
public final class JobSubmitter {
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
        Log.info("job.submitted", "jobId", job.jobId(), "tenant", tenant, "type", job.type(),
                "status", job.status().wireName(), "runAt", job.runAt());
        return new Submission.Accepted(job);
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
        return node;
    }
}
