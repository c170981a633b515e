package io.jobway.store;

import io.jobway.job.Job;
import io.jobway.job.JobStatus;
import java.time.Instant;

/**
 * A page request for a tenant's jobs, newest first. Null filters match everything: {@code errorType} is the last
 * error's type, and {@code finishedFrom} (inclusive) and {@code finishedUntil} (exclusive) bound when the job
 * finished (for a dead job, when it died). {@code tag} matches the jobs carrying that tag.
 */
public record JobQuery(JobStatus status, String type, int limit, String afterJobId, String errorType,
                       Instant finishedFrom, Instant finishedUntil, String tag) {
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    public JobQuery(JobStatus status, String type, int limit, String afterJobId) {
        this(status, type, limit, afterJobId, null, null, null, null);
    }

    public JobQuery(JobStatus status, String type, int limit, String afterJobId, String errorType,
                    Instant finishedFrom, Instant finishedUntil) {
        this(status, type, limit, afterJobId, errorType, finishedFrom, finishedUntil, null);
    }

    public JobQuery withTag(String t) {
        return new JobQuery(status, type, limit, afterJobId, errorType, finishedFrom, finishedUntil, t);
    }

    public boolean matches(Job job) {
        return (status == null || job.status() == status) && (type == null || job.type().equals(type))
                && (errorType == null || job.lastError() != null && errorType.equals(job.lastError().type()))
                && (finishedFrom == null || job.finishedAt() != null && !job.finishedAt().isBefore(finishedFrom))
                && (finishedUntil == null || job.finishedAt() != null && job.finishedAt().isBefore(finishedUntil))
                && (tag == null || job.tags().contains(tag));
    }

    /** The filters only a listing of every job matches without reading it. */
    public boolean unfiltered() {
        return status == null && type == null && errorType == null && finishedFrom == null && finishedUntil == null
                && tag == null;
    }
}
