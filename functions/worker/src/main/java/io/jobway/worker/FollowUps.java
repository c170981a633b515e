package io.jobway.worker;

import io.jobway.handler.PermanentJobFailure;
import io.jobway.job.Job;
import io.jobway.job.JobSpec;
import io.jobway.job.Tags;
import io.jobway.submit.JobSubmitter;
import io.jobway.submit.Submission;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

/**
 * Starts the jobs a running job asks for. Each follow-up is keyed by its parent's id and its place in the
 * parent's sequence, remembered as long as jobs are kept, so a retried parent never starts a second copy.
 */
final class FollowUps {
    private final JobSubmitter submitter;
    private final Set<String> types;
    private final Duration keyWindow;

    FollowUps(JobSubmitter submitter, Set<String> types, Duration keyWindow) {
        this.submitter = submitter;
        this.types = Set.copyOf(types);
        this.keyWindow = keyWindow;
    }

    String start(Job parent, int index, JobSpec spec) {
        if (!types.contains(spec.type())) {
            throw new PermanentJobFailure("cannot start a follow-up of type '" + spec.type()
                    + "': this worker runs only " + new java.util.TreeSet<>(types));
        }
        if (spec.payload() != null && spec.payload().getBytes(StandardCharsets.UTF_8).length > JobSpec.MAX_PAYLOAD_BYTES) {
            throw new PermanentJobFailure("a follow-up's payload is over " + JobSpec.MAX_PAYLOAD_BYTES + " bytes");
        }
        Tags.problem(spec.tags()).ifPresent(problem -> {
            throw new PermanentJobFailure("a follow-up's tags are wrong: " + problem);
        });
        String key = spec.idempotencyKey() != null ? spec.idempotencyKey()
                : "follow-up:" + parent.jobId() + ":" + index;
        return switch (submitter.submit(parent.tenantId(), spec.withIdempotencyKey(key), keyWindow)) {
            case Submission.Accepted accepted -> accepted.job().jobId();
            case Submission.Replayed replayed -> replayed.job().jobId();
            case Submission.KeyReused reused -> throw new PermanentJobFailure("follow-up " + index + " of job "
                    + parent.jobId() + " was first started as a different job (" + reused.originalJobId()
                    + "); start follow-ups in the same order on every attempt");
            // transient: the attempt fails and is retried, and then finds the job recorded
            case Submission.KeyInFlight inFlight -> throw new IllegalStateException("follow-up "
                    + inFlight.originalJobId() + " is still being recorded");
            case Submission.NotRecorded notRecorded -> throw new IllegalStateException("follow-up "
                    + notRecorded.jobId() + " could not be recorded");
        };
    }
}
