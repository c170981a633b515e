package io.jobway.store;

import io.jobway.job.JobStatus;

/** A page request for a tenant's jobs, newest first. Null filters match everything. */
public record JobQuery(JobStatus status, String type, int limit, String afterJobId) {
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    public boolean matches(io.jobway.job.Job job) {
        return (status == null || job.status() == status) && (type == null || job.type().equals(type));
    }
}
