package io.jobway.sweeper;

import io.jobway.dlq.UnclaimedDeadLetter;
import io.jobway.dlq.UnclaimedDeadLetters;
import io.jobway.job.Job;
import io.jobway.job.JobError;
import io.jobway.job.JobStatus;
import io.jobway.obs.Log;
import io.jobway.queue.JobMessage;
import io.jobway.queue.JobQueue;
import io.jobway.queue.ReceivedMessage;
import io.jobway.store.ConcurrentJobModification;
import io.jobway.store.JobStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Runs every minute. It sends the messages of jobs whose time has come and is the safety net for those that may
 * have lost theirs:
 * <ul>
 *   <li>scheduled jobs (due beyond SQS's 15-minute delay) whose time is near: each is queued and its message sent
 *       with the rest of the wait as its delay ({@link Job#ENQUEUE_AHEAD});</li>
 *   <li>queued and retrying jobs in the due index whose time passed (an operator's retry records the job before
 *       it sends, so a crash in between would leave it without a message; a worker's hand-back of a retrying or
 *       deferred job's message can fail, and the message then waits out its batch's hold);</li>
 *   <li>unfinished jobs whose message SQS moved to the dead-letter queue after too many receives (the job's
 *       lease has run out and nothing would ever deliver it again).</li>
 * </ul>
 * On its way through the DLQ it notes the messages that never had a job (an unparseable body, a record that never
 * appeared) for {@code GET /v1/dlq/unclaimed}.
 * Two overlapping runs are harmless: a due job is taken with a conditional write before its message is sent,
 * a DLQ message is hidden while one run handles it, and a duplicate message is dropped by the worker.
 */
public final class Sweeper {
    /** Due jobs read per page; a run reads pages while they come back full and time is left. */
    static final int MAX_DUE_PER_RUN = 100;
    /**
     * How long a run spends on due jobs, inside the function's 60 s timeout with the schedules' 15 s: a burst of jobs
     * scheduled for the same minute is worked off over the runs of {@link Job#ENQUEUE_AHEAD}, all still on time.
     */
    static final Duration DUE_BUDGET = Duration.ofSeconds(30);
    /**
     * How long a run spends reading the DLQ, 10 at a time, until it is read through (each message it leaves is
     * rested {@link #DEAD_LETTER_REST}). A fixed 5 reads a run saw 50 messages a minute: behind 640 dead jobs' copies
     * (the chaos soak's DLQ) a poison message or a stranded job's message waited 13 minutes to be seen.
     */
    static final Duration DEAD_LETTER_BUDGET = Duration.ofSeconds(10);
    /** If a re-sent job is still not claimed after this long, it is re-sent again. */
    static final Duration RESEND_AFTER = Duration.ofMinutes(5);
    static final Duration DEAD_LETTER_LOOK = Duration.ofSeconds(30);
    /**
     * A DLQ message that stays (its job is dead or leased) is kept out of the next runs' sight this long, so
     * each run reads messages it has not just read; operators' redrives skip it meanwhile.
     */
    static final Duration DEAD_LETTER_REST = Duration.ofMinutes(10);
    /** Clocks of the queue and of the writer differ a little: a change this soon after a copy is not after it. */
    static final Duration STALE_COPY_MARGIN = Duration.ofSeconds(1);

    private final JobStore store;
    private final JobQueue queue;
    private final Clock clock;
    private final DueSchedules schedules;
    private final UnclaimedDeadLetters unclaimed;

    public Sweeper(JobStore store, JobQueue queue, Clock clock, UnclaimedDeadLetters unclaimed) {
        this(store, queue, clock, DueSchedules.NONE, unclaimed);
    }

    public Sweeper(JobStore store, JobQueue queue, Clock clock, DueSchedules schedules, UnclaimedDeadLetters unclaimed) {
        this.store = store;
        this.queue = queue;
        this.clock = clock;
        this.schedules = schedules;
        this.unclaimed = unclaimed;
    }

    public record Report(int schedulesFired, int scheduledEnqueued, int dueResent, int deadLettersRedelivered) {
    }

    /** Schedules first: a fire time due now becomes a queued job that the rest need not look at. */
    public Report sweep() {
        int fired = 0;
        try {
            fired = schedules.fire();
        } catch (RuntimeException e) { // the schedules' table is out of reach: the jobs' safety net still runs
            Log.error("sweeper.schedules-failed", "error", e.toString());
        }
        DueSent due = sendDueJobs();
        int redelivered = redeliverUnfinishedDeadLetters();
        if (fired > 0 || due.enqueued() > 0 || due.resent() > 0 || redelivered > 0) {
            Log.info("sweeper.done", "schedulesFired", fired, "scheduledEnqueued", due.enqueued(),
                    "dueResent", due.resent(), "deadLettersRedelivered", redelivered);
        }
        return new Report(fired, due.enqueued(), due.resent(), redelivered);
    }

    private record DueSent(int enqueued, int resent) {
    }

    /** Pages through the due index. A page whose every job was taken by others ends the run's part. */
    private DueSent sendDueJobs() {
        int enqueued = 0;
        int resent = 0;
        long stopAt = System.nanoTime() + DUE_BUDGET.toNanos();
        while (System.nanoTime() < stopAt) {
            Instant now = clock.instant();
            List<Job> page = store.findDue(now, MAX_DUE_PER_RUN);
            int moved = 0;
            for (Job job : page) {
                try {
                    switch (sendIfDue(job, now)) {
                        case ENQUEUED -> enqueued++;
                        case RESENT -> resent++;
                        case LEFT_INDEX -> { }
                    }
                    moved++;
                } catch (ConcurrentJobModification e) {
                    // Claimed by a worker, cancelled, or taken by an overlapping sweep: nothing to do.
                } catch (RuntimeException e) {
                    // one job's failed call does not end the run: it is still due at the next
                    Log.warn("sweeper.due-failed", "jobId", job.jobId(), "error", e.toString());
                }
            }
            if (page.size() < MAX_DUE_PER_RUN || moved == 0) {
                break;
            }
        }
        return new DueSent(enqueued, resent);
    }

    private enum DueAction { ENQUEUED, RESENT, LEFT_INDEX }

    /** Each job is written out of (or further along) the due index first, then sent: a lost send comes round again. */
    private DueAction sendIfDue(Job job, Instant now) {
        if (job.status() == JobStatus.SCHEDULED) {
            Instant runAt = job.runAt().isAfter(now) ? job.runAt() : now;
            Job queued = store.save(job, job.enqueue(now, runAt.plus(RESEND_AFTER)));
            queue.send(JobMessage.of(queued), queued.delayAt(now));
            Log.info("job.enqueued", "jobId", job.jobId(), "tenantId", job.tenantId(), "runAt", job.runAt(),
                    "delaySeconds", queued.delayAt(now).toSeconds());
            return DueAction.ENQUEUED;
        }
        if (job.status() != JobStatus.QUEUED && job.status() != JobStatus.RETRYING) {
            store.save(job, job.sweptUntil(null, now)); // nothing to send: leave the index
            return DueAction.LEFT_INDEX;
        }
        store.save(job, job.sweptUntil(now.plus(RESEND_AFTER), now));
        queue.send(JobMessage.of(job), Duration.ZERO);
        Log.info("job.resent", "jobId", job.jobId(), "tenantId", job.tenantId(), "reason", "due");
        return DueAction.RESENT;
    }

    /**
     * A worker's dead-letter copy (it carries the marker) outlives its use once its job is gone (purged, expired) or
     * changed after the copy was made (an operator's redrive revived it): removing it keeps the DLQ's depth the
     * count of dead jobs. A copy of a job still dead stays; so does one whose job changed before it was made (the
     * worker sends the copy, then writes the job dead).
     */
    private static boolean isStaleCopy(Optional<Job> job, ReceivedMessage message) {
        if (job.isEmpty()) {
            return true;
        }
        return job.get().status() != JobStatus.DEAD && message.sentAt() != null
                && job.get().updatedAt().isAfter(message.sentAt().plus(STALE_COPY_MARGIN));
    }

    /**
     * A copy a worker made of a job it had (its marker is the job's error type): with the job gone, it was purged
     * or expired. Without a marker SQS moved the message, and a {@code RecordMissing} marker is the worker's copy of
     * one whose record never appeared: with no job, neither ever had one.
     */
    private static boolean isDeadJobsCopy(ReceivedMessage message) {
        return message.deadLetterReason() != null && !message.deadLetterReason().equals(JobError.RECORD_MISSING);
    }

    private void noteUnclaimed(ReceivedMessage message, Optional<JobMessage> parsed, Instant now) {
        var reason = parsed.isEmpty() ? UnclaimedDeadLetter.Reason.UNPARSEABLE_BODY
                : UnclaimedDeadLetter.Reason.RECORD_NEVER_APPEARED;
        unclaimed.record(new UnclaimedDeadLetter(message.messageId(), parsed.map(JobMessage::tenantId).orElse(null),
                reason, parsed.map(JobMessage::jobId).orElse(null), message.body(),
                message.sentAt() == null ? now : message.sentAt(), now));
    }

    private int redeliverUnfinishedDeadLetters() {
        int redelivered = 0;
        long stopAt = System.nanoTime() + DEAD_LETTER_BUDGET.toNanos();
        while (System.nanoTime() < stopAt) {
            var messages = queue.receiveDeadLetters(10, DEAD_LETTER_LOOK);
            if (messages.isEmpty()) {
                break;
            }
            for (ReceivedMessage message : messages) {
                try {
                    if (redeliverIfUnfinished(message)) {
                        redelivered++;
                    }
                } catch (RuntimeException e) {
                    // one message's failed call does not end the run: this one is back in sight in 30 s
                    Log.warn("sweeper.dead-letter-failed", "messageId", message.messageId(), "error", e.toString());
                }
            }
        }
        return redelivered;
    }

    private boolean redeliverIfUnfinished(ReceivedMessage message) {
        Optional<JobMessage> parsed = JobMessage.parse(message.body());
        Optional<Job> job = parsed.flatMap(m -> store.find(m.jobId()));
        Instant now = clock.instant();
        if (parsed.isEmpty() || (job.isEmpty() && !isDeadJobsCopy(message))) {
            noteUnclaimed(message, parsed, now);
            queue.changeDeadLetterVisibility(message.receiptHandle(), DEAD_LETTER_REST);
            return false;
        }
        if (message.deadLetterReason() != null && isStaleCopy(job, message)) {
            queue.deleteDeadLetter(message.receiptHandle());
            Log.info("sweeper.stale-dead-letter-removed", "jobId", parsed.get().jobId(),
                    "reason", job.isEmpty() ? "the job is gone" : "the job was revived after its copy was made");
            return false;
        }
        boolean stranded = job.isPresent() && !job.get().status().isTerminal()
                && (job.get().status() != JobStatus.RUNNING || job.get().leaseExpired(now));
        if (!stranded) {
            // dead, finished or still leased: the message stays for operators to inspect
            queue.changeDeadLetterVisibility(message.receiptHandle(), DEAD_LETTER_REST);
            return false;
        }
        queue.send(JobMessage.of(job.get()), Duration.ZERO);
        queue.deleteDeadLetter(message.receiptHandle());
        Log.warn("job.resent", "jobId", job.get().jobId(), "tenantId", job.get().tenantId(),
                "status", job.get().status().wireName(), "reason", "message was in the dead-letter queue");
        return true;
    }
}
