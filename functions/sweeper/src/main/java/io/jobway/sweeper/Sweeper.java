package io.jobway.sweeper;

import io.jobway.job.Job;
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
import java.util.Optional;

/**
 * The safety net that runs every minute. It re-sends the message of a job that may have lost it:
 * <ul>
 *   <li>queued jobs in the due index whose time passed (an operator's retry records the job before it sends,
 *       so a crash in between would leave it without a message);</li>
 *   <li>unfinished jobs whose message SQS moved to the dead-letter queue after too many receives (the job's
 *       lease has run out and nothing would ever deliver it again).</li>
 * </ul>
 * Two overlapping runs are harmless: a due job is taken with a conditional write before its message is sent,
 * a DLQ message is hidden while one run handles it, and a duplicate message is dropped by the worker.
 */
public final class Sweeper {
    static final int MAX_DUE_PER_RUN = 100;
    static final int MAX_DEAD_LETTER_BATCHES = 5;
    /** If a re-sent job is still not claimed after this long, it is re-sent again. */
    static final Duration RESEND_AFTER = Duration.ofMinutes(5);
    static final Duration DEAD_LETTER_LOOK = Duration.ofSeconds(30);
    /**
     * A DLQ message that stays (its job is dead or leased) is kept out of the next runs' sight this long, so
     * each run reads messages it has not just read; operators' redrives skip it meanwhile.
     */
    static final Duration DEAD_LETTER_REST = Duration.ofMinutes(10);

    private final JobStore store;
    private final JobQueue queue;
    private final Clock clock;

    public Sweeper(JobStore store, JobQueue queue, Clock clock) {
        this.store = store;
        this.queue = queue;
        this.clock = clock;
    }

    public record Report(int dueResent, int deadLettersRedelivered) {
    }

    public Report sweep() {
        int resent = resendDueJobs();
        int redelivered = redeliverUnfinishedDeadLetters();
        if (resent > 0 || redelivered > 0) {
            Log.info("sweeper.done", "dueResent", resent, "deadLettersRedelivered", redelivered);
        }
        return new Report(resent, redelivered);
    }

    private int resendDueJobs() {
        Instant now = clock.instant();
        int resent = 0;
        for (Job job : store.findDue(now, MAX_DUE_PER_RUN)) {
            try {
                if (job.status() != JobStatus.QUEUED) {
                    store.save(job, job.sweptUntil(null, now)); // nothing to re-send: leave the index
                    continue;
                }
                store.save(job, job.sweptUntil(now.plus(RESEND_AFTER), now));
                queue.send(JobMessage.of(job), Duration.ZERO);
                Log.info("job.resent", "jobId", job.jobId(), "tenant", job.tenantId(), "reason", "due");
                resent++;
            } catch (ConcurrentJobModification e) {
                // Claimed by a worker or taken by an overlapping sweep: nothing to do.
            }
        }
        return resent;
    }

    private int redeliverUnfinishedDeadLetters() {
        int redelivered = 0;
        for (int batch = 0; batch < MAX_DEAD_LETTER_BATCHES; batch++) {
            var messages = queue.receiveDeadLetters(10, DEAD_LETTER_LOOK);
            if (messages.isEmpty()) {
                break;
            }
            for (ReceivedMessage message : messages) {
                if (redeliverIfUnfinished(message)) {
                    redelivered++;
                }
            }
        }
        return redelivered;
    }

    private boolean redeliverIfUnfinished(ReceivedMessage message) {
        Optional<JobMessage> parsed = JobMessage.parse(message.body());
        Optional<Job> job = parsed.flatMap(m -> store.find(m.jobId()));
        Instant now = clock.instant();
        boolean stranded = job.isPresent() && !job.get().status().isTerminal()
                && (job.get().status() != JobStatus.RUNNING || job.get().leaseExpired(now));
        if (!stranded) {
            // dead, finished or still leased: the message stays for operators to inspect
            queue.changeDeadLetterVisibility(message.receiptHandle(), DEAD_LETTER_REST);
            return false;
        }
        queue.send(JobMessage.of(job.get()), Duration.ZERO);
        queue.deleteDeadLetter(message.receiptHandle());
        Log.warn("job.resent", "jobId", job.get().jobId(), "tenant", job.get().tenantId(),
                "status", job.get().status().wireName(), "reason", "message was in the dead-letter queue");
        return true;
    }
}
