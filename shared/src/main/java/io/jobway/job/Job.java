package io.jobway.job;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One job as stored. Immutable: every change is a verb that checks the transition with {@link JobStatus},
 * bumps {@code version} and returns the new job; the store writes it conditionally on the old version. The verbs
 * that start and end an attempt also record it in {@code attempts}, the job's history (see {@link Attempt#KEPT}).
 */
public record Job(
        String jobId,
        String tenantId,
        String type,
        JobStatus status,
        String payload,
        String result,
        JobError lastError,
        int attempt,
        List<Attempt> attempts,
        int maxAttempts,
        int timeoutSeconds,
        Instant runAt,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        Instant updatedAt,
        Progress progress,
        String leaseToken,
        Instant leaseUntil,
        boolean cancelRequested,
        String idempotencyKey,
        String callbackUrl,
        String rateKey,
        Priority priority,
        long version,
        Instant expiresAt,
        Instant dueAt,
        Instant deferredUntil,
        List<String> tags) {

    public Job {
        priority = priority == null ? Priority.NORMAL : priority;
        tags = Tags.of(tags);
        attempts = Attempt.kept(attempts);
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /**
     * A job read back from storage, in whatever state it was saved: for the store's mapper (and test fixtures).
     * Everything else starts a job with {@link #submit} and changes it only through the verbs below, which
     * check each move against {@link JobStatus}.
     */
    public static Job restore(String jobId, String tenantId, String type, JobStatus status, String payload,
                              String result, JobError lastError, int attempt, List<Attempt> attempts,
                              int maxAttempts, int timeoutSeconds,
                              Instant runAt, Instant createdAt, Instant startedAt, Instant finishedAt,
                              Instant updatedAt, Progress progress, String leaseToken, Instant leaseUntil,
                              boolean cancelRequested, String idempotencyKey, String callbackUrl, String rateKey,
                              Priority priority, long version, Instant expiresAt, Instant dueAt,
                              Instant deferredUntil, List<String> tags) {
        return new Job(jobId, tenantId, type, status, payload, result, lastError, attempt, attempts, maxAttempts,
                timeoutSeconds, runAt, createdAt, startedAt, finishedAt, updatedAt, progress, leaseToken, leaseUntil,
                cancelRequested, idempotencyKey, callbackUrl, rateKey, priority, version, expiresAt, dueAt,
                deferredUntil, tags);
    }

    /** The longest delay SQS gives a message; a job due later than this waits in the table, scheduled. */
    public static final Duration QUEUE_DELAY_LIMIT = Duration.ofMinutes(15);
    /**
     * A scheduled job's message is sent this long before its run time, with the rest as the message's delay: the
     * one-minute sweeper then has ten runs to send it, so a late or a skipped run does not make the job late.
     */
    public static final Duration ENQUEUE_AHEAD = Duration.ofMinutes(10);

    /**
     * A new job to run at the spec's run time: queued (its message carries the delay) when that is within
     * {@link #QUEUE_DELAY_LIMIT}, else scheduled, in the sweeper's due index from {@link #ENQUEUE_AHEAD} before it.
     */
    public static Job submit(String jobId, String tenantId, JobSpec spec, Instant now) {
        Instant runAt = spec.runAtFrom(now);
        boolean scheduled = waitsScheduled(runAt, now);
        return new Builder()
                .jobId(jobId).tenantId(tenantId).type(spec.type())
                .status(scheduled ? JobStatus.SCHEDULED : JobStatus.QUEUED)
                .payload(spec.payload()).maxAttempts(spec.maxAttempts()).timeoutSeconds(spec.timeoutSeconds())
                .runAt(runAt).createdAt(now).updatedAt(now)
                .idempotencyKey(spec.idempotencyKey()).callbackUrl(spec.callbackUrl()).rateKey(spec.rateKey())
                .priority(spec.priority()).tags(spec.tags())
                .version(1)
                .dueAt(scheduled ? runAt.minus(ENQUEUE_AHEAD) : null)
                .build();
    }

    private static boolean waitsScheduled(Instant runAt, Instant now) {
        return runAt.isAfter(now.plus(QUEUE_DELAY_LIMIT));
    }

    /**
     * The worker's deferral of the attempt it holds (the handler asked to come back later, or a limit is full):
     * the job waits until {@code until} as if that attempt never started. It is queued (its new message carries
     * the delay, and the sweeper re-sends it if it is still unclaimed {@code resendGrace} after) or, beyond
     * {@link #QUEUE_DELAY_LIMIT}, scheduled like a job submitted for then. Its history keeps the attempt, deferred,
     * and the next claim runs under the same number.
     */
    public Job defer(Instant until, Instant now, Duration resendGrace) {
        if (status != JobStatus.RUNNING) {
            throw new IllegalTransition(jobId, status, JobStatus.QUEUED);
        }
        boolean scheduled = waitsScheduled(until, now);
        return moveTo(scheduled ? JobStatus.SCHEDULED : JobStatus.QUEUED, now)
                .attempt(attempt - 1).attempts(ended(Attempt.Outcome.DEFERRED, null, now))
                .runAt(until).deferredUntil(until).leaseToken(null).leaseUntil(null)
                .progress(null).dueAt(scheduled ? until.minus(ENQUEUE_AHEAD) : until.plus(resendGrace)).build();
    }

    /**
     * The sweeper's move of a scheduled job whose time is near: queued, its message about to be sent with
     * {@link #delayAt}. It stays in the due index until {@code sweepAt}, so a lost send is made again.
     */
    public Job enqueue(Instant now, Instant sweepAt) {
        return moveTo(JobStatus.QUEUED, now).dueAt(sweepAt).build();
    }

    /**
     * How long the job's message waits before a worker sees it, sent at {@code now}: the rest of the time to
     * {@code runAt} in whole seconds rounded up (SQS counts seconds; early would only be handed back), at most
     * {@link #QUEUE_DELAY_LIMIT}.
     */
    public Duration delayAt(Instant now) {
        if (runAt == null || !runAt.isAfter(now)) {
            return Duration.ZERO;
        }
        long millis = Duration.between(now, runAt).toMillis();
        Duration delay = Duration.ofSeconds((millis + 999) / 1000);
        return delay.compareTo(QUEUE_DELAY_LIMIT) > 0 ? QUEUE_DELAY_LIMIT : delay;
    }

    public boolean attemptsLeft() {
        return attempt < maxAttempts;
    }

    /** How early a message may arrive for its run time (clocks of two Lambdas differ a little). */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(2);

    public boolean leaseExpired(Instant now) {
        return leaseUntil == null || !leaseUntil.isAfter(now);
    }

    /**
     * Whether a worker may start an attempt now. The store's conditional claim is this rule term by term
     * (DynamoJobStore's claim condition); the store contract holds the two together.
     */
    public boolean claimableAt(Instant now) {
        return JobStatus.claimable().contains(status)
                && (status != JobStatus.RUNNING || leaseExpired(now))
                && attemptsLeft()
                && !cancelRequested
                && (runAt == null || !runAt.isAfter(now.plus(CLOCK_SKEW)));
    }

    public Job claim(String token, Instant now, Duration leaseFor) {
        if (!claimableAt(now)) {
            throw new IllegalTransition(jobId, status, JobStatus.RUNNING);
        }
        return moveTo(JobStatus.RUNNING, now)
                .attempt(attempt + 1).attempts(started(attempt + 1, now)).startedAt(now)
                .leaseToken(token).leaseUntil(now.plus(leaseFor))
                .progress(null).dueAt(null).deferredUntil(null).build();
    }

    public Job succeed(String result, Instant now, Duration retention) {
        return finish(JobStatus.SUCCEEDED, now, retention).result(result)
                .attempts(ended(Attempt.Outcome.SUCCEEDED, null, now)).build();
    }

    /**
     * A failed attempt with attempts left: retrying at {@code nextRun}, when its message (handed back with that
     * delay) comes. It enters the sweeper's due index at {@code nextRun} plus {@code resendGrace}, so a message that
     * is late (its hand-back failed, and it waits out the batch's hold) is re-sent.
     */
    public Job retry(JobError error, Instant nextRun, Instant now, Duration resendGrace) {
        return moveTo(JobStatus.RETRYING, now).lastError(error).attempts(ended(Attempt.Outcome.of(error), error, now))
                .runAt(nextRun).leaseToken(null).leaseUntil(null).dueAt(nextRun.plus(resendGrace)).build();
    }

    public Job die(JobError error, Instant now, Duration retention) {
        return finish(JobStatus.DEAD, now, retention).lastError(error)
                .attempts(ended(Attempt.Outcome.of(error), error, now)).build();
    }

    /**
     * A user's cancel. A job in {@link JobStatus#cancellable()} ends cancelled at once. A running job cannot be
     * stopped from outside: the cancel is requested, its handler sees the request and its worker ends it
     * ({@link #endCancelled}); asking again changes nothing. A finished job cannot be cancelled.
     */
    public Job cancel(Instant now, Duration retention) {
        if (JobStatus.cancellable().contains(status)) {
            return finish(JobStatus.CANCELLED, now, retention).build();
        }
        if (status == JobStatus.RUNNING && cancelRequested) {
            return this;
        }
        if (status == JobStatus.RUNNING) {
            return toBuilder().cancelRequested(true).updatedAt(now).version(version + 1).build();
        }
        throw new IllegalTransition(jobId, status, JobStatus.CANCELLED);
    }

    /**
     * The worker's side of a cancel: it ends the attempt it runs as cancelled, because the handler stopped on
     * the request or the request came before the attempt's outcome was written.
     */
    public Job endCancelled(Instant now, Duration retention) {
        return finish(JobStatus.CANCELLED, now, retention)
                .attempts(ended(Attempt.Outcome.CANCELLED, null, now)).build();
    }

    /**
     * An operator's retry, the one way back for a job in {@link JobStatus#retryable()}: queued again with a fresh
     * attempt budget. {@code dueAt} enters the sweeper's index so the job is re-sent if its message never arrives.
     * The history stays (it is what happened, and why someone retried): its attempts are numbered from 1 again,
     * each told from the earlier ones by its start time.
     */
    public Job requeue(Instant now, Instant sweepAt) {
        if (!JobStatus.retryable().contains(status)) {
            throw new IllegalTransition(jobId, status, JobStatus.QUEUED);
        }
        return moveTo(JobStatus.QUEUED, now)
                .attempt(0).result(null).lastError(null).progress(null).startedAt(null).finishedAt(null)
                .cancelRequested(false).expiresAt(null).runAt(now).dueAt(sweepAt).build();
    }

    /**
     * The lease of a running attempt whose worker is known to be gone (the local runtime restarting after a
     * crash) ends now, so the job's message is claimed for a new attempt at once instead of after the lease.
     */
    public Job leaseReleased(Instant now) {
        if (status != JobStatus.RUNNING) {
            throw new IllegalTransition(jobId, status, JobStatus.RUNNING);
        }
        return toBuilder().leaseUntil(now).updatedAt(now).version(version + 1).build();
    }

    /** Pushes the sweeper's next look further out, as a version change so two sweepers cannot both act. */
    public Job sweptUntil(Instant nextSweep, Instant now) {
        return toBuilder().dueAt(nextSweep).updatedAt(now).version(version + 1).build();
    }

    public Job withProgress(Progress next, Instant now) {
        return toBuilder().progress(next).updatedAt(now).version(version + 1).build();
    }

    /** The same version carrying progress that was not written yet, so that the next write lands it. */
    public Job carryingProgress(Progress unwritten) {
        return toBuilder().progress(unwritten).build();
    }

    /** The history with attempt {@code number} started now. */
    private List<Attempt> started(int number, Instant now) {
        List<Attempt> next = new ArrayList<>(attempts);
        next.add(Attempt.started(number, now));
        return next;
    }

    /** The history with the running attempt ended; unchanged if none is open (an item from before histories). */
    private List<Attempt> ended(Attempt.Outcome how, JobError error, Instant now) {
        if (attempts.isEmpty() || !attempts.getLast().running()) {
            return attempts;
        }
        List<Attempt> next = new ArrayList<>(attempts);
        next.set(next.size() - 1, attempts.getLast().ended(how, error, now));
        return next;
    }

    private Builder finish(JobStatus terminal, Instant now, Duration retention) {
        return moveTo(terminal, now).finishedAt(now).leaseToken(null).leaseUntil(null).dueAt(null)
                .expiresAt(now.plus(retention).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    private Builder moveTo(JobStatus next, Instant now) {
        if (!status.canMoveTo(next)) {
            throw new IllegalTransition(jobId, status, next);
        }
        return toBuilder().status(next).updatedAt(now).version(version + 1);
    }

    private Builder toBuilder() {
        return new Builder(this);
    }

    /** How the verbs above make the next job: private, so it is no way around them. */
    private static final class Builder {
        private String jobId;
        private String tenantId;
        private String type;
        private JobStatus status;
        private String payload;
        private String result;
        private JobError lastError;
        private int attempt;
        private List<Attempt> attempts;
        private int maxAttempts;
        private int timeoutSeconds;
        private Instant runAt;
        private Instant createdAt;
        private Instant startedAt;
        private Instant finishedAt;
        private Instant updatedAt;
        private Progress progress;
        private String leaseToken;
        private Instant leaseUntil;
        private boolean cancelRequested;
        private String idempotencyKey;
        private String callbackUrl;
        private String rateKey;
        private Priority priority;
        private long version;
        private Instant expiresAt;
        private Instant dueAt;
        private Instant deferredUntil;
        private List<String> tags;

        Builder() {
        }

        private Builder(Job j) {
            jobId = j.jobId; tenantId = j.tenantId; type = j.type; status = j.status; payload = j.payload;
            result = j.result; lastError = j.lastError; attempt = j.attempt; attempts = j.attempts;
            maxAttempts = j.maxAttempts;
            timeoutSeconds = j.timeoutSeconds; runAt = j.runAt; createdAt = j.createdAt; startedAt = j.startedAt;
            finishedAt = j.finishedAt; updatedAt = j.updatedAt; progress = j.progress; leaseToken = j.leaseToken;
            leaseUntil = j.leaseUntil; cancelRequested = j.cancelRequested; idempotencyKey = j.idempotencyKey;
            callbackUrl = j.callbackUrl; rateKey = j.rateKey; priority = j.priority;
            version = j.version; expiresAt = j.expiresAt; dueAt = j.dueAt;
            deferredUntil = j.deferredUntil; tags = j.tags;
        }

        Builder jobId(String v) { jobId = v; return this; }
        Builder tenantId(String v) { tenantId = v; return this; }
        Builder type(String v) { type = v; return this; }
        Builder status(JobStatus v) { status = v; return this; }
        Builder payload(String v) { payload = v; return this; }
        Builder result(String v) { result = v; return this; }
        Builder lastError(JobError v) { lastError = v; return this; }
        Builder attempt(int v) { attempt = v; return this; }
        Builder attempts(List<Attempt> v) { attempts = v; return this; }
        Builder maxAttempts(int v) { maxAttempts = v; return this; }
        Builder timeoutSeconds(int v) { timeoutSeconds = v; return this; }
        Builder runAt(Instant v) { runAt = v; return this; }
        Builder createdAt(Instant v) { createdAt = v; return this; }
        Builder startedAt(Instant v) { startedAt = v; return this; }
        Builder finishedAt(Instant v) { finishedAt = v; return this; }
        Builder updatedAt(Instant v) { updatedAt = v; return this; }
        Builder progress(Progress v) { progress = v; return this; }
        Builder leaseToken(String v) { leaseToken = v; return this; }
        Builder leaseUntil(Instant v) { leaseUntil = v; return this; }
        Builder cancelRequested(boolean v) { cancelRequested = v; return this; }
        Builder idempotencyKey(String v) { idempotencyKey = v; return this; }
        Builder callbackUrl(String v) { callbackUrl = v; return this; }
        Builder rateKey(String v) { rateKey = v; return this; }
        Builder priority(Priority v) { priority = v; return this; }
        Builder version(long v) { version = v; return this; }
        Builder expiresAt(Instant v) { expiresAt = v; return this; }
        Builder dueAt(Instant v) { dueAt = v; return this; }
        Builder deferredUntil(Instant v) { deferredUntil = v; return this; }
        Builder tags(List<String> v) { tags = v; return this; }

        Job build() {
            return new Job(jobId, tenantId, type, status, payload, result, lastError, attempt, attempts, maxAttempts,
                    timeoutSeconds, runAt, createdAt, startedAt, finishedAt, updatedAt, progress, leaseToken,
                    leaseUntil, cancelRequested, idempotencyKey, callbackUrl, rateKey, priority, version, expiresAt, dueAt, deferredUntil,
                    tags);
        }
    }
}
