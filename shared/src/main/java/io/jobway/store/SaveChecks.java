package io.jobway.store;

import io.jobway.job.IllegalTransition;
import io.jobway.job.Job;

/** What every {@link JobStore} checks before it writes {@code after} over {@code before}, so the stores agree. */
final class SaveChecks {
    private SaveChecks() {
    }

    static void require(Job before, Job after) {
        if (!before.jobId().equals(after.jobId()) || after.version() != before.version() + 1) {
            throw new IllegalArgumentException("save needs the next version of the same job: " + before.jobId()
                    + " v" + before.version() + " -> " + after.jobId() + " v" + after.version());
        }
        // A write that keeps the state (progress, a cancel request, the sweeper's next look) is no transition.
        if (before.status() != after.status() && !before.status().canMoveTo(after.status())) {
            throw new IllegalTransition(before.jobId(), before.status(), after.status());
        }
    }
}
