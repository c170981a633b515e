package io.jobway.store;

import io.jobway.job.Job;

/** What a worker's conditional claim found. */
public sealed interface ClaimResult {
    /** The attempt is ours: the job is RUNNING under our lease. */
    record Claimed(Job job) implements ClaimResult {
    }

    /** The job exists but may not be started now; {@code current} says why. */
    record NotClaimable(Job current) implements ClaimResult {
    }

    /** No record with that id (not written yet, or never will be). */
    record Missing() implements ClaimResult {
    }
}
