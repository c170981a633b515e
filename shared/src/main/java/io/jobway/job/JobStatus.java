package io.jobway.job;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The states of a job and the one table of legal transitions between them. */
public enum JobStatus {
    SCHEDULED, QUEUED, RUNNING, RETRYING, SUCCEEDED, DEAD, CANCELLED;

    /** The lowercase name used on the wire and in the table. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobStatus fromWire(String value) {
        for (JobStatus s : values()) {
            if (s.wireName().equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown job status '" + value + "'; expected one of "
                + java.util.Arrays.stream(values()).map(JobStatus::wireName).toList());
    }

    public boolean isTerminal() {
        return this == SUCCEEDED || this == DEAD || this == CANCELLED;
    }

    private static final Set<JobStatus> CLAIMABLE =
            Collections.unmodifiableSet(EnumSet.of(QUEUED, RETRYING, RUNNING));
    private static final Set<JobStatus> CANCELLABLE =
            Collections.unmodifiableSet(EnumSet.of(SCHEDULED, QUEUED, RETRYING));
    private static final Set<JobStatus> RETRYABLE = Collections.unmodifiableSet(EnumSet.of(DEAD, CANCELLED));

    /** A worker may start an attempt from these states (RUNNING only once its lease has expired). */
    public static Set<JobStatus> claimable() {
        return CLAIMABLE;
    }

    /**
     * A user's cancel ends a job in these states at once. A RUNNING job is not among them: nothing outside its
     * worker can stop it, so the cancel is only requested and the worker ends it.
     */
    public static Set<JobStatus> cancellable() {
        return CANCELLABLE;
    }

    /** An operator may retry a job in these states: it is queued again with a fresh attempt budget. */
    public static Set<JobStatus> retryable() {
        return RETRYABLE;
    }

    public boolean canMoveTo(JobStatus next) {
        return switch (this) {
            case SCHEDULED -> next == QUEUED || next == CANCELLED;
            case QUEUED -> next == RUNNING || next == CANCELLED;
            // RUNNING -> RUNNING is a new attempt after a lost worker's lease expired; RUNNING -> QUEUED or
            // SCHEDULED is a deferral, which gives the attempt back
            case RUNNING -> next == RUNNING || next == SUCCEEDED || next == RETRYING || next == DEAD
                    || next == CANCELLED || next == QUEUED || next == SCHEDULED;
            case RETRYING -> next == RUNNING || next == CANCELLED;
            case DEAD, CANCELLED -> next == QUEUED;
            case SUCCEEDED -> false;
        };
    }
}
