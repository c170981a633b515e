package io.jobway.worker;

import io.jobway.aws.Clients;
import io.jobway.aws.Config;
import io.jobway.handler.JobHandler;
import io.jobway.handler.JobHandlerRegistry;
import io.jobway.handler.PermanentJobFailure;
import io.jobway.handler.RetryLaterException;
import io.jobway.job.Backoff;
import io.jobway.job.Job;
import io.jobway.job.JobError;
import io.jobway.job.JobStatus;
import io.jobway.json.Json;
import io.jobway.limits.Admission;
import io.jobway.limits.DynamoJobLimits;
import io.jobway.limits.JobLimits;
import io.jobway.events.SqsMessage;
import io.jobway.notify.CallbackUrlGuard;
import io.jobway.notify.WebhookSecretStore;
import io.jobway.obs.Log;
import io.jobway.obs.MeasuredJobStore;
import io.jobway.queue.JobMessage;
import io.jobway.queue.JobQueue;
import io.jobway.queue.JobQueues;
import io.jobway.queue.SqsJobQueue;
import io.jobway.store.ClaimResult;
import io.jobway.store.ConcurrentJobModification;
import io.jobway.store.DynamoJobStore;
import io.jobway.store.JobStore;
import io.jobway.submit.JobSubmitter;
import io.jobway.worker.builtin.HttpJobHandler;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Runs job messages: each is claimed with a conditional write, run on a virtual thread with its deadline, and ends
 * succeeded, retrying (backoff through the message's visibility), dead (message moved to the DLQ) or cancelled. The
 * worker's {@link io.jobway.events.BatchProcessor} runs a batch's messages in parallel, each with its own outcome
 * (partial batch response).
 */
public final class JobRunner {
    /** Never start a job unless its timeout plus this much fits in the Lambda's remaining time. */
    static final Duration START_MARGIN = Duration.ofSeconds(20);
    /** A lease outlives the job's timeout by this much, the time to record the outcome. */
    static final Duration LEASE_MARGIN = Duration.ofSeconds(30);
    /** The pauses before looking again for the record of a first delivery's job: 750 ms in all. */
    static final List<Duration> RECORD_LOOKS = List.of(Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(200), Duration.ofMillis(400));
    /** How many deliveries a message may wait for its record to appear before the id is given up. */
    static final int MISSING_RECORD_DELIVERIES = 5;
    static final int MAX_RESULT_BYTES = 64 * 1024;
    /** How many times an outcome is written (re-reading between tries) before it is given up. */
    static final int OUTCOME_WRITE_TRIES = 3;
    /** A failed call that took this long timed out, rather than being refused: asking again would wait as long. */
    static final Duration SLOW_FAILURE = Duration.ofSeconds(1);
    /**
     * A batch's messages are hidden until the invocation's deadline plus this much: after a dead invocation (OOM,
     * timeout) they come back within its timeout plus a minute, not after the queue's 5,400 s visibility timeout.
     * By then any lease it took has ended (a job never starts unless its lease ends before the deadline).
     */
    public static final Duration HOLD_AFTER_DEADLINE = Duration.ofSeconds(60);
    /**
     * A message whose handling threw (a store or queue call failed or timed out) comes back after 2^deliveries
     * seconds, at most this long: a blip costs seconds, not the batch's hold, and an outage does not run the
     * message to the queue's maxReceiveCount (50) within hours.
     */
    static final Duration FAILED_MESSAGE_BACKOFF_CAP = Duration.ofMinutes(5);
    /** A job revived by a redriven copy that is not claimed within this long gets its message re-sent by the sweeper. */
    static final Duration REVIVED_SWEEP_AFTER = Duration.ofMinutes(2);
    /** A job whose limits cannot be read (the table is unreachable) is deferred this long. */
    static final Duration LIMITS_UNAVAILABLE_WAIT = Duration.ofSeconds(5);
    /** The shortest wait of a deferred job, so that a handler asking for "now" does not spin. */
    static final Duration MIN_DEFERRAL = Duration.ofSeconds(1);
    /**
     * A deferred or retrying job still unclaimed this long after its time has its message re-sent by the sweeper:
     * its own message is normally there on time, but one whose visibility change failed waits out the batch's hold.
     */
    static final Duration RESEND_GRACE = Duration.ofMinutes(5);

    private final JobStore store;
    private final JobQueue queue;
    private final JobHandlerRegistry handlers;
    private final Backoff backoff;
    private final Duration retention;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final FollowUps followUps;
    private final JobLimits limits;

    public JobRunner(JobStore store, JobQueue queue, JobHandlerRegistry handlers, Backoff backoff, Duration retention,
                     Clock clock) {
        this(store, queue, handlers, backoff, retention, clock, JobLimits.NONE);
    }

    public JobRunner(JobStore store, JobQueue queue, JobHandlerRegistry handlers, Backoff backoff, Duration retention,
                     Clock clock, JobLimits limits) {
        this.limits = limits;
        this.store = store;
        this.queue = queue;
        this.handlers = handlers;
        this.backoff = backoff;
        this.retention = retention;
        this.clock = clock;
        this.followUps = new FollowUps(new JobSubmitter(store, queue, clock), handlers.types(), retention);
    }

    /** The runner of the normal-priority queue, wired as {@link #createAll} wires each. */
    public static JobRunner create(Config config, Clients clients) {
        return createAll(config, clients).get(queueName(config.require(Config.JOBS_QUEUE_URL)));
    }

    /**
     * A runner for each of the jobs queues (one per priority), by queue name, wired from the environment
     * variables template.yaml declares for WorkerFunction. They share the store, handlers and limits; each hands
     * back and holds messages on its own queue, and sends a job to the queue of the job's priority.
     */
    public static Map<String, JobRunner> createAll(Config config, Clients clients) {
        JobHandlerRegistry handlers = JobHandlerRegistry.discover(JobRunner.class.getClassLoader(), config)
                .with(new HttpJobHandler(
                        new WebhookSecretStore(clients.dynamo(), config.require(Config.WEBHOOK_SECRETS_TABLE)),
                        CallbackUrlGuard.create(Boolean.parseBoolean(config.require(Config.ALLOW_PRIVATE_CALLBACK_URLS))),
                        Clock.systemUTC()));
        handlers.requireAll(Arrays.stream(config.require(Config.JOB_TYPES).split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet()));
        int base = config.requireInt(Config.RETRY_BASE_SECONDS, 1, 43_200);
        int cap = config.requireInt(Config.RETRY_CAP_SECONDS, base, 43_200);
        int retentionDays = config.requireInt(Config.JOB_RETENTION_DAYS, 1, 3_650);
        var store = new MeasuredJobStore(new DynamoJobStore(clients.dynamo(), config.require(Config.JOBS_TABLE),
                config.require(Config.IDEMPOTENCY_TABLE)), clients.metrics());
        var limits = new DynamoJobLimits(clients.dynamo(), config.require(Config.LIMITS_TABLE));
        Map<String, JobRunner> runners = new LinkedHashMap<>();
        for (String url : JobQueues.urls(config).values()) {
            runners.put(queueName(url), new JobRunner(store,
                    JobQueues.fromConfig(clients.sqs(), config, url, config.require(Config.DEAD_LETTER_QUEUE_URL)),
                    handlers, new Backoff(Duration.ofSeconds(base), Duration.ofSeconds(cap)),
                    Duration.ofDays(retentionDays), clients.clock(), limits));
        }
        return runners;
    }

    /** A queue's name: the last part of its URL, as it is the last part of its ARN. */
    public static String queueName(String queueUrl) {
        return queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
    }

    public Set<String> types() {
        return handlers.types();
    }

    /** The invocation's deadline on the clock the runner decides by, {@code remaining} from now. */
    public Instant deadlineAfter(Duration remaining) {
        return clock.instant().plus(remaining);
    }

    /**
     * Hides a batch's messages until {@code lambdaDeadline} plus {@link #HOLD_AFTER_DEADLINE}, in one SQS call per
     * ten. A failure is logged and the batch goes on: the messages then keep the queue's visibility timeout.
     */
    public void holdUntil(List<SqsMessage> messages, Instant lambdaDeadline) {
        Duration hold = Duration.between(clock.instant(), lambdaDeadline).plus(HOLD_AFTER_DEADLINE);
        try {
            queue.changeVisibility(messages.stream().map(SqsMessage::receiptHandle).toList(), hold);
        } catch (RuntimeException e) {
            Log.warn("worker.hold-failed", "messages", messages.size(), "error", e.toString());
        }
    }

    /**
     * Handles one message of a batch (the worker's function for {@link io.jobway.events.BatchProcessor}, which runs
     * each on its own virtual thread): true when SQS may delete it; false to hand it back, visible again after the
     * backoff this sets, or with the visibility it has. A throw (store or queue unreachable) also hands it back,
     * visible again after {@link #failedMessageBackoff} (or, if even that call fails, after the batch's hold).
     */
    public boolean process(SqsMessage message, Instant lambdaDeadline) {
        try {
            MessageOutcome outcome = decide(message, lambdaDeadline);
            if (outcome instanceof MessageOutcome.ReturnAfter after) {
                queue.changeVisibility(message.receiptHandle(), after.after());
            }
            return outcome instanceof MessageOutcome.Delete;
        } catch (RuntimeException e) {
            backOff(message, e);
            throw e;
        }
    }

    /**
     * Sets a failed message's backoff, asking up to {@link #OUTCOME_WRITE_TRIES} times: a message whose backoff is
     * not set keeps the batch's hold (the Lambda timeout and a minute), and its job waits that long (the chaos soak
     * saw a claim's lost answer and then a failed visibility change hold a job for 15 minutes). A try that failed
     * slowly (a timeout: SQS is not answering) is not repeated, as more of them would spend the invocation.
     */
    private void backOff(SqsMessage message, RuntimeException cause) {
        for (int tries = 1; ; tries++) {
            long started = System.nanoTime();
            try {
                queue.changeVisibility(message.receiptHandle(), failedMessageBackoff(message.receiveCount()));
                return;
            } catch (RuntimeException failed) {
                cause.addSuppressed(failed);
                boolean slow = System.nanoTime() - started > SLOW_FAILURE.toNanos();
                if (tries == OUTCOME_WRITE_TRIES || slow) {
                    Log.warn("worker.backoff-not-set", "messageId", message.messageId(), "error", failed.toString(),
                            "effect", "the message comes back after the batch's hold");
                    return;
                }
            }
        }
    }

    private MessageOutcome decide(SqsMessage message, Instant lambdaDeadline) {
        JobMessage jobMessage = JobMessage.parse(message.body()).orElse(null);
        if (jobMessage == null) {
            queue.sendToDeadLetter(message.body(), new JobError(
                    "message body is not a Jobway job message: " + abbreviate(message.body()), "PoisonMessage",
                    clock.instant()));
            Log.error("job.poison-message", "messageId", message.messageId());
            return new MessageOutcome.Delete();
        }
        try (Log.Scope scope = Log.with("jobId", jobMessage.jobId(), "messageId", message.messageId())) {
            return decide(jobMessage, message, lambdaDeadline);
        }
    }

    private MessageOutcome decide(JobMessage jobMessage, SqsMessage message, Instant lambdaDeadline) {
        Instant now = clock.instant();
        Duration timeout = Duration.ofSeconds(jobMessage.timeoutSeconds());
        if (now.plus(timeout).plus(START_MARGIN).isAfter(lambdaDeadline)) {
            Log.info("job.deferred", "jobId", jobMessage.jobId(), "reason", "too little time left in this invocation");
            return new MessageOutcome.ReturnAfter(Duration.ZERO);
        }
        if (message.messageAttributes().containsKey(SqsJobQueue.DEAD_LETTER_MARKER)) {
            reviveIfDead(jobMessage.jobId(), now);
        }
        String leaseToken = UUID.randomUUID().toString();
        // instanceof, not a pattern switch: a switch links its call site on first use through a native bootstrap,
        // and on Java 21 the batch's lanes (virtual threads) reaching it together pin their carriers there
        // (WorkerPinningTest saw it)
        ClaimResult claim = claim(jobMessage.jobId(), leaseToken, timeout.plus(LEASE_MARGIN), message.receiveCount());
        if (claim instanceof ClaimResult.Claimed claimed) {
            return execute(claimed.job(), message);
        }
        if (claim instanceof ClaimResult.NotClaimable notClaimable) {
            return notClaimable(notClaimable.current(), message);
        }
        return recordMissing(jobMessage.jobId(), message);
    }

    /**
     * A dead job's dead-letter copy came back to a jobs queue: someone redrove it (the SQS console's "start DLQ
     * redrive", which is StartMessageMoveTask, keeps a message's attributes, so the copy still carries the marker
     * the worker gave it). The job is revived with a fresh attempt budget, then claimed with this very message. The
     * revival is a conditional write: of two copies, one revives and the other finds the job queued. A plain
     * duplicate of an old message carries no marker, and still finds a dead job dropped.
     */
    private void reviveIfDead(String jobId, Instant now) {
        Job job = store.find(jobId).orElse(null);
        if (job == null || job.status() != JobStatus.DEAD) {
            return;
        }
        try {
            store.save(job, job.requeue(now, now.plus(REVIVED_SWEEP_AFTER)));
            Log.info("job.revived", "jobId", jobId, "tenantId", job.tenantId(),
                    "reason", "its dead-letter copy was redriven to a jobs queue");
        } catch (ConcurrentJobModification e) {
            // another copy revived it, or an operator's retry did
        }
    }

    /**
     * The API sends a job's message before it writes the record (JobSubmitter), so an idle queue can deliver the
     * message a few milliseconds ahead of it. On a first delivery a missing record is looked for again for up to
     * {@link #RECORD_LOOKS} before the message is handed back for seconds: handed back at once, every such job
     * started 2 s late (a high-priority job behind a backlog, its pollers idle, met it one time in fifteen). A look
     * is a consistent read (a read unit), not another claim (a refused conditional write bills a write unit, five
     * times the price): a batch submit's messages nearly all beat their records, which go 25 to a write.
     */
    private ClaimResult claim(String jobId, String leaseToken, Duration leaseFor, int receiveCount) {
        ClaimResult result = store.claim(jobId, leaseToken, clock.instant(), leaseFor);
        if (receiveCount != 1 || !(result instanceof ClaimResult.Missing)) {
            return result;
        }
        for (Duration pause : RECORD_LOOKS) {
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return result;
            }
            if (store.find(jobId).isPresent()) {
                return store.claim(jobId, leaseToken, clock.instant(), leaseFor);
            }
        }
        return result;
    }

    /**
     * The API enqueues before it writes the record; give the write time to land, then give the id up: tombstoned,
     * so a late write fails, and the message copied to the DLQ, where the sweeper lists it as unclaimed.
     */
    private MessageOutcome recordMissing(String jobId, SqsMessage message) {
        int receiveCount = message.receiveCount();
        if (receiveCount < MISSING_RECORD_DELIVERIES) {
            return new MessageOutcome.ReturnAfter(Duration.ofSeconds(1L << receiveCount));
        }
        Instant now = clock.instant();
        if (store.tombstoneIfAbsent(jobId, now)) {
            queue.sendToDeadLetter(message.body(), new JobError("no record of job " + jobId + " appeared in "
                    + receiveCount + " deliveries", JobError.RECORD_MISSING, now));
            Log.warn("job.record-missing", "jobId", jobId, "deliveries", receiveCount,
                    "action", "moved the message to the DLQ; the id is tombstoned so a late write fails");
            return new MessageOutcome.Delete();
        }
        return new MessageOutcome.ReturnAfter(Duration.ZERO);
    }

    private MessageOutcome notClaimable(Job job, SqsMessage message) {
        Instant now = clock.instant();
        if (job.status().isTerminal()) {
            Log.info("job.duplicate-dropped", "jobId", job.jobId(), "status", job.status().wireName());
            return new MessageOutcome.Delete();
        }
        if (job.status() == JobStatus.RUNNING && !job.leaseExpired(now)) {
            // Another worker holds the lease; keep this copy as a safety net until the lease ends.
            return new MessageOutcome.ReturnAfter(cappedDelay(Duration.between(now, job.leaseUntil()).plusSeconds(1)));
        }
        if (job.cancelRequested()) {
            return cancel(job, null);
        }
        if (job.status() == JobStatus.RUNNING && !job.attemptsLeft()) {
            JobError lost = new JobError("the worker running attempt " + job.attempt() + " stopped before finishing"
                    + " (its lease expired) and no attempts are left", JobError.WORKER_LOST, now);
            return die(job, null, lost, message.body());
        }
        if (job.runAt() != null && job.runAt().isAfter(now)) {
            return new MessageOutcome.ReturnAfter(cappedDelay(Duration.between(now, job.runAt())));
        }
        return new MessageOutcome.ReturnAfter(Duration.ofSeconds(1));
    }

    /** The claimed attempt: its lines, and its handler's, carry the job's tenant, type and attempt. */
    private MessageOutcome execute(Job job, SqsMessage message) {
        try (Log.Scope scope = Log.with("tenantId", job.tenantId(), "type", job.type(), "attempt", job.attempt())) {
            return admitted(job, message);
        }
    }

    private MessageOutcome admitted(Job job, SqsMessage message) {
        Admission admission;
        try {
            admission = limits.admit(job, job.leaseUntil(), clock.instant());
        } catch (RuntimeException e) {
            admission = new Admission.Refused(clock.instant().plus(LIMITS_UNAVAILABLE_WAIT),
                    "its limits could not be read: " + e);
        }
        if (admission instanceof Admission.Refused refused) {
            return defer(job, Duration.between(clock.instant(), refused.retryAt()), 0, refused.reason());
        }
        try {
            return run(job, message);
        } finally {
            limits.release(job, (Admission.Admitted) admission);
        }
    }

    private MessageOutcome run(Job job, SqsMessage message) {
        Instant started = clock.instant();
        if (started.plusSeconds(job.timeoutSeconds()).isAfter(job.leaseUntil())) {
            return leaseLapsed(job, started);
        }
        log("job.started", job);
        JobHandler handler = handlers.find(job.type()).orElse(null);
        if (handler == null) {
            JobError error = new JobError("no handler for job type '" + job.type() + "' in this worker; known types: "
                    + handlers.types(), "UnknownJobType", started);
            return die(job, job.leaseToken(), error, message.body());
        }
        Duration timeout = Duration.ofSeconds(job.timeoutSeconds());
        RunningJobContext context = new RunningJobContext(job, started.plus(timeout), store, followUps, clock);
        Execution execution = Execution.run(handler, context, timeout);
        long durationMs = Duration.between(started, clock.instant()).toMillis();
        return outcome(context.close(), execution, durationMs, message);
    }

    /**
     * The worker stalled between its claim and the start (a long pause, a slow limits read): its lease no longer
     * covers the attempt, so another worker may claim the job at any moment and run it too. It does not start;
     * the claim is given back as a deferral (no attempt spent) if the lease is still this worker's, else the
     * job is someone else's now.
     */
    private MessageOutcome leaseLapsed(Job job, Instant now) {
        Log.warn("job.lease-lapsed", "jobId", job.jobId(), "tenantId", job.tenantId(), "attempt", job.attempt(),
                "leaseUntil", job.leaseUntil(), "action", "not started");
        return defer(job, Duration.ZERO, 0, "its lease ran out before it started");
    }

    /** Records how the attempt ended, on the job as the attempt last wrote it. */
    private MessageOutcome outcome(Job job, Execution execution, long durationMs, SqsMessage message) {
        // instanceof, not a pattern switch, for the reason decide() gives: attempts of a batch end together
        if (execution instanceof Execution.Succeeded ok) {
            return succeed(job, ok, durationMs, message.body());
        }
        if (execution instanceof Execution.Cancelled) {
            return cancel(job, job.leaseToken());
        }
        if (execution instanceof Execution.Failed failed) {
            if (failed.error() instanceof PermanentJobFailure) {
                return die(job, job.leaseToken(), JobError.of(failed.error(), clock.instant()), message.body());
            }
            if (failed.error() instanceof RetryLaterException later && !later.spendsAttempt()) {
                return defer(job, later.after(), durationMs, "the handler asked to retry later: " + later.getMessage());
            }
            return fail(job, JobError.of(failed.error(), clock.instant()), durationMs, message.body(),
                    failed.error() instanceof RetryLaterException later ? later.after() : Duration.ZERO);
        }
        return fail(job, new JobError("attempt " + job.attempt() + " did not finish within " + job.timeoutSeconds()
                + " s and was interrupted", JobError.TIMEOUT, clock.instant()), durationMs, message.body(),
                Duration.ZERO);
    }

    private MessageOutcome succeed(Job job, Execution.Succeeded ok, long durationMs, String body) {
        String result = ok.result() == null || ok.result().isNull() ? null : Json.write(ok.result());
        if (result != null && result.length() > MAX_RESULT_BYTES) {
            return fail(job, new JobError("the handler's result is " + result.length() + " bytes; the limit is "
                    + MAX_RESULT_BYTES, "ResultTooLarge", clock.instant()), durationMs, body, Duration.ZERO);
        }
        Job saved = finish(job, job.leaseToken(), j -> j.succeed(result, clock.instant(), retention));
        if (saved == null) {
            return new MessageOutcome.Release();
        }
        log("job.succeeded", saved, "durationMs", durationMs);
        return new MessageOutcome.Delete();
    }

    /**
     * Gives the attempt back and has the job wait {@code after} (at least a second): it spends no attempt and, as
     * a new message carries it, adds nothing to the receive count that leads to the DLQ. The job is written first,
     * then its new message sent, then the old one deleted; a failed send leaves the job queued in the due index,
     * and the old message, handed back, finds it waiting.
     */
    private MessageOutcome defer(Job job, Duration after, long durationMs, String reason) {
        Instant now = clock.instant();
        Instant until = now.plus(after.compareTo(MIN_DEFERRAL) < 0 ? MIN_DEFERRAL : after);
        Job saved = finish(job, job.leaseToken(), j -> j.cancelRequested()
                ? j.endCancelled(now, retention)
                : j.defer(until, now, RESEND_GRACE));
        if (saved == null) {
            return new MessageOutcome.Release();
        }
        if (saved.status() == JobStatus.CANCELLED) {
            log("job.cancelled", saved, "durationMs", durationMs);
            return new MessageOutcome.Delete();
        }
        if (saved.status() == JobStatus.QUEUED) {
            queue.send(JobMessage.of(saved), saved.delayAt(now));
        } // a deferral past SQS's 15 minutes is scheduled: the sweeper sends its message
        log("job.deferred", saved, "durationMs", durationMs, "deferredUntil", until, "reason", reason);
        return new MessageOutcome.Delete();
    }

    /** A failed attempt: retried after the backoff (or after {@code atLeast}, if longer) while attempts remain. */
    private MessageOutcome fail(Job job, JobError error, long durationMs, String body, Duration atLeast) {
        if (!job.attemptsLeft()) {
            return die(job, job.leaseToken(), error, body);
        }
        Duration backedOff = backoff.delayAfter(job.attempt(), random);
        Duration delay = cappedDelay(atLeast.compareTo(backedOff) > 0 ? atLeast : backedOff);
        Job saved = finish(job, job.leaseToken(), j -> j.cancelRequested()
                ? j.endCancelled(clock.instant(), retention)
                : j.retry(error, clock.instant().plus(delay), clock.instant(), RESEND_GRACE));
        if (saved == null) {
            return new MessageOutcome.Release();
        }
        if (saved.status() == JobStatus.CANCELLED) {
            log("job.cancelled", saved, "durationMs", durationMs);
            return new MessageOutcome.Delete();
        }
        log("job.retrying", saved, "durationMs", durationMs, "errorType", error.type(), "error", error.message(),
                "retryInSeconds", delay.toSeconds());
        return new MessageOutcome.ReturnAfter(delay);
    }

    private MessageOutcome cancel(Job job, String leaseToken) {
        Job saved = finish(job, leaseToken, j -> j.endCancelled(clock.instant(), retention));
        if (saved == null) {
            return new MessageOutcome.Release();
        }
        log("job.cancelled", saved);
        return new MessageOutcome.Delete();
    }

    /**
     * Out of attempts or failed for good: the job's message is copied to the DLQ, then the job is written dead.
     * In this order a failed send leaves the job unfinished and its message comes back, so there is never a dead
     * job without its copy (a later message for a dead job is dropped unread). The price is at-least-once copies:
     * if the dead write is lost after the send (a crash, a race lost three times), the redelivery sends another.
     * The job is read again first so that a cancel requested during the attempt still wins and nothing is sent.
     */
    private MessageOutcome die(Job job, String leaseToken, JobError error, String body) {
        Job stored = reread(job, leaseToken);
        if (stored == null) {
            return new MessageOutcome.Release();
        }
        // Unchanged since, the job we hold is the one to write: it carries the progress not written yet.
        Job current = stored.version() == job.version() ? job : stored;
        if (current.cancelRequested()) {
            return cancel(current, leaseToken);
        }
        sendToDeadLetter(job, error, body);
        // The copy is out: the record must say dead now, even if a cancel lands in this instant.
        Job saved = finish(current, leaseToken, j -> j.die(error, clock.instant(), retention));
        if (saved == null) {
            return new MessageOutcome.Release();
        }
        log("job.dead", saved, "errorType", error.type(), "error", error.message());
        return new MessageOutcome.Delete();
    }

    /**
     * The dead-letter copy, sent up to {@link #OUTCOME_WRITE_TRIES} times (a blip costs milliseconds, and a copy
     * whose answer was lost is sent twice, which the at-least-once copies above allow). If every try fails, the
     * throw leaves the job unfinished and its message comes back after {@link #failedMessageBackoff}, seconds
     * later, not after the batch's hold: the job is dead-lettered then.
     */
    private void sendToDeadLetter(Job job, JobError error, String body) {
        for (int tries = 1; ; tries++) {
            try {
                queue.sendToDeadLetter(body, error);
                return;
            } catch (RuntimeException e) {
                if (tries == OUTCOME_WRITE_TRIES) {
                    Log.error("job.dead-letter-failed", "jobId", job.jobId(), "attempt", job.attempt(),
                            "errorType", error.type(), "error", error.message(), "sendError", e.toString(),
                            "action", "left unfinished; its message comes back and the job is dead-lettered then");
                    throw e;
                }
            }
        }
    }

    /**
     * Writes the outcome conditionally on the version we hold. If the record changed meanwhile (a cancel was
     * requested), re-reads it and applies the outcome again while we still hold the lease. Returns the saved
     * job, or null when the outcome is dropped (another worker took the job over, or every try lost a race):
     * the message is then released and comes back.
     */
    private Job finish(Job job, String leaseToken, UnaryOperator<Job> outcome) {
        Job current = job;
        Job next = null;
        for (int tries = 0; tries < OUTCOME_WRITE_TRIES; tries++) {
            next = outcome.apply(current);
            try {
                return store.save(current, next);
            } catch (ConcurrentJobModification e) {
                current = reread(job, leaseToken);
                if (current == null) {
                    return null;
                }
            }
        }
        Log.warn("job.outcome-dropped", "jobId", job.jobId(), "attempt", job.attempt(),
                "outcome", next.status().wireName(), "reason", "the record changed on each of " + OUTCOME_WRITE_TRIES
                        + " tries to write it; the message is released and the job is decided again when it comes back");
        return null;
    }

    /** The job as stored now, or null (logged) when this attempt no longer owns it. */
    private Job reread(Job job, String leaseToken) {
        Job current = store.find(job.jobId()).orElse(null);
        if (current == null || current.status().isTerminal()
                || (leaseToken != null && !leaseToken.equals(current.leaseToken()))) {
            Log.warn("job.fenced", "jobId", job.jobId(), "attempt", job.attempt(),
                    "reason", "the job changed hands while this attempt ran; its outcome is dropped");
            return null;
        }
        return current;
    }

    /** One structured line per transition: jobId, tenant, type, attempt, status, and the extra fields. */
    private static void log(String event, Job job, Object... extra) {
        Object[] fields = new Object[10 + extra.length];
        Object[] base = {"jobId", job.jobId(), "tenantId", job.tenantId(), "type", job.type(), "attempt", job.attempt(),
                "status", job.status().wireName()};
        System.arraycopy(base, 0, fields, 0, base.length);
        System.arraycopy(extra, 0, fields, base.length, extra.length);
        if (job.status() == JobStatus.DEAD) {
            Log.error(event, fields);
        } else if (job.status() == JobStatus.RETRYING) {
            Log.warn(event, fields);
        } else {
            Log.info(event, fields);
        }
    }

    static Duration failedMessageBackoff(int receiveCount) {
        Duration backoff = Duration.ofSeconds(1L << Math.min(Math.max(receiveCount, 1), 16));
        return backoff.compareTo(FAILED_MESSAGE_BACKOFF_CAP) > 0 ? FAILED_MESSAGE_BACKOFF_CAP : backoff;
    }

    private static Duration cappedDelay(Duration delay) {
        return delay.compareTo(Backoff.MAX) > 0 ? Backoff.MAX : delay.isNegative() ? Duration.ZERO : delay;
    }

    private static String abbreviate(String body) {
        return body == null ? "null" : body.length() > 200 ? body.substring(0, 200) + "..." : body;
    }
}
