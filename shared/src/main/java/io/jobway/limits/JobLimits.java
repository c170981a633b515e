package io.jobway.limits;

import io.jobway.job.Job;
import java.time.Instant;

/** The gate an attempt passes before its handler runs: the per-key limits of its type. */
public interface JobLimits {
    /**
     * Admits or refuses the attempt of {@code job} (running, leased until {@code leaseUntil}). A job without a rate
     * key, or whose type and key have no limit, is admitted without a call.
     */
    Admission admit(Job job, Instant leaseUntil, Instant now);

    /** Gives back the running slot an admitted attempt holds, once its outcome is written. */
    void release(Job job, Admission.Admitted admission);

    /** No limits at all: every attempt is admitted. */
    JobLimits NONE = new JobLimits() {
        @Override
        public Admission admit(Job job, Instant leaseUntil, Instant now) {
            return Admission.FREE;
        }

        @Override
        public void release(Job job, Admission.Admitted admission) {
        }
    };
}
