package io.jobway.limits;

import java.time.Instant;

/** Whether an attempt may start under its job's limits now. */
public sealed interface Admission {
    /** It may start; {@code holdsSlot} when it took one of its key's running slots, to be released after it. */
    record Admitted(boolean holdsSlot) implements Admission {
    }

    /** Over a limit: the job waits until {@code retryAt}, spending no attempt. */
    record Refused(Instant retryAt, String reason) implements Admission {
    }

    Admitted FREE = new Admitted(false);
}
