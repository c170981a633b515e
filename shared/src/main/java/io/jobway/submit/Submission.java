package io.jobway.submit;

import io.jobway.job.Job;

/** What came of a submit: a new job, the job an idempotency key already made, or a refusal. */
public sealed interface Submission {
    /** A new job, recorded and enqueued. */
    record Accepted(Job job) implements Submission {
    }

    /** The idempotency key was seen with the same request: this is the job it made. */
    record Replayed(Job job) implements Submission {
    }

    /** The idempotency key was first used for a different request. */
    record KeyReused(String originalJobId) implements Submission {
    }

    /** The first request with this idempotency key has not recorded its job yet. */
    record KeyInFlight(String originalJobId) implements Submission {
    }

    /** The id could not be recorded (a worker gave it up); nothing was accepted and the caller may retry. */
    record NotRecorded(String jobId) implements Submission {
    }
}
