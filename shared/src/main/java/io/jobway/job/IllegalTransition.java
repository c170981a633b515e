package io.jobway.job;

/** A change of state that {@link JobStatus} does not allow, named with the job so it can be found. */
public final class IllegalTransition extends RuntimeException {
    private final String jobId;
    private final JobStatus from;
    private final JobStatus to;

    public IllegalTransition(String jobId, JobStatus from, JobStatus to) {
        super("job " + jobId + " cannot go from " + from.wireName() + " to " + to.wireName());
        this.jobId = jobId;
        this.from = from;
        this.to = to;
    }

    public String jobId() { return jobId; }
    public JobStatus from() { return from; }
    public JobStatus to() { return to; }
}
