package io.jobway.store;

import io.jobway.job.Job;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where jobs live. Every write is conditional: {@link #save} on the version that was read, {@link #claim} on
 * the job being claimable. A lost race is a {@link ConcurrentJobModification}, never a silent overwrite.
 */
public interface JobStore {
    /** Writes a new job; {@link JobAlreadyExists} if the id is taken. */
    void create(Job job);

    /**
     * Writes new jobs in as few calls as the store allows (25 to a call on DynamoDB), without the condition
     * {@link #create} has: only for ids made just now, whose messages were sent just now, so no worker can have
     * given them up (it waits about 30 s for a record). Returns the jobs that were not written.
     */
    List<Job> createAll(List<Job> jobs);

    /**
     * Writes a new job together with its idempotency record, atomically. Returns the record that already
     * holds the key (and writes nothing) when the key is taken and not expired.
     */
    Optional<IdempotencyRecord> createIdempotent(Job job, IdempotencyRecord record, Instant now);

    Optional<IdempotencyRecord> findIdempotencyRecord(String tenantId, String key, Instant now);

    /** A strongly consistent read. */
    Optional<Job> find(String jobId);

    /**
     * Replaces {@code before} with {@code after} if nobody changed it since; returns {@code after}. A change of
     * state that {@link io.jobway.job.JobStatus#canMoveTo} does not allow is refused with an
     * {@link io.jobway.job.IllegalTransition} before anything is written.
     */
    Job save(Job before, Job after);

    /**
     * Deletes the job if nobody changed it since it was read, and with it its idempotency key's record (if the key
     * still names this job), so that the key makes a new job rather than naming one that is gone; false when
     * somebody changed the job (or it is gone).
     */
    boolean delete(Job job);

    /** Starts an attempt in one conditional write: RUNNING, attempt + 1, a fresh lease. */
    ClaimResult claim(String jobId, String leaseToken, Instant now, Duration leaseFor);

    /**
     * Marks an id that has no record as taken, so a record written later fails instead of becoming a job with
     * no message. Returns false when a record exists after all.
     */
    boolean tombstoneIfAbsent(String jobId, Instant now);

    /** A tenant's jobs, newest first. */
    JobPage list(String tenantId, JobQuery query);

    /** Jobs the sweeper must look at: {@code dueAt} at or before {@code now}. */
    List<Job> findDue(Instant now, int limit);
}
