package io.jobway.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.handler.JobContext;
import io.jobway.job.Job;
import io.jobway.job.JobSpec;
import io.jobway.job.Progress;
import io.jobway.json.Json;
import io.jobway.obs.Log;
import io.jobway.store.ConcurrentJobModification;
import io.jobway.store.JobStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The context of one running attempt. It keeps the latest version of the job it wrote, so progress writes
 * and the outcome write are conditional on it. Progress is written at most once a second: a report inside
 * the second waits for a flush (or for the outcome write, which carries it).
 *
 * <p>No monitor is held across a store call. On Java 21 (Lambda's java21 runtime) a virtual thread that blocks
 * on a socket inside {@code synchronized} pins its carrier thread, and the worker's other virtual threads (the
 * batch's other jobs, the waits for their timeouts) queue behind it (JEP 491 fixed that in JDK 24). So the state
 * is decided under a {@link ReentrantLock}, the write runs after the lock is released, and its result is applied
 * under the lock again. One write is in flight at a time; {@link #close()} waits for it, so the outcome is
 * written on the version it produced.
 */
final class RunningJobContext implements JobContext {
    static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);
    private static final Duration CANCEL_CHECK_INTERVAL = Duration.ofSeconds(2);
    private static final int MAX_PROGRESS_MESSAGE = 200;

    /** One progress write, decided under the lock and sent outside it. */
    private record Write(Job base, Progress progress, Instant at) {
    }

    /** The job as claimed: its identity, which no write of this attempt changes. */
    private final Job claimed;
    private final JsonNode payload;
    private final Instant deadline;
    private final JobStore store;
    private final Clock clock;
    private final FollowUps followUps;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition writeDone = lock.newCondition();
    // guarded by lock
    private Job latest;
    private Progress pending;
    /** The progress of the write in flight, or null when none is. */
    private Progress writing;
    private Instant lastProgressWrite = Instant.MIN;
    private boolean flushScheduled;
    private boolean closed;
    private Instant lastCancelCheck = Instant.MIN;
    private boolean cancelRequested;
    private int followUpsStarted;

    RunningJobContext(Job job, Instant deadline, JobStore store, FollowUps followUps, Clock clock) {
        this.claimed = job;
        this.latest = job;
        this.followUps = followUps;
        this.payload = job.payload() == null ? null : Json.parse(job.payload());
        this.deadline = deadline;
        this.store = store;
        this.clock = clock;
    }

    @Override
    public String jobId() {
        return claimed.jobId();
    }

    @Override
    public String tenantId() {
        return claimed.tenantId();
    }

    @Override
    public int attempt() {
        return claimed.attempt();
    }

    @Override
    public int maxAttempts() {
        return claimed.maxAttempts();
    }

    @Override
    public JsonNode payload() {
        return payload == null ? null : payload.deepCopy();
    }

    @Override
    public Instant deadline() {
        return deadline;
    }

    @Override
    public Instant runAt() {
        return claimed.runAt() != null ? claimed.runAt() : claimed.createdAt();
    }

    @Override
    public void progress(int percent, String message) {
        Progress next = new Progress(Math.max(0, Math.min(100, percent)),
                message == null || message.length() <= MAX_PROGRESS_MESSAGE ? message
                        : message.substring(0, MAX_PROGRESS_MESSAGE));
        Write write;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (next.equals(writing != null ? writing : latest.progress())) {
                pending = null; // back to the value written (or being written): nothing left to write
                return;
            }
            pending = next;
            if (writing != null) {
                return; // the write in flight schedules the flush when it is done
            }
            Instant now = clock.instant();
            Instant allowedAt = lastProgressWrite.plus(PROGRESS_INTERVAL);
            if (now.isBefore(allowedAt)) {
                scheduleFlush(Duration.between(now, allowedAt));
                return;
            }
            write = startWrite(now);
        } finally {
            lock.unlock();
        }
        send(write);
    }

    /** Under the lock: a flush in {@code wait}, unless one is already on its way. */
    private void scheduleFlush(Duration wait) {
        if (!flushScheduled) {
            flushScheduled = true;
            Thread.ofVirtual().name("progress-" + claimed.jobId()).start(() -> flushAfter(wait));
        }
    }

    private void flushAfter(Duration wait) {
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Write write;
        lock.lock();
        try {
            flushScheduled = false;
            if (closed || pending == null || writing != null) {
                return; // nothing to write, or the write in flight schedules the next flush
            }
            write = startWrite(clock.instant());
        } finally {
            lock.unlock();
        }
        send(write);
    }

    /** Under the lock: takes the pending progress for one write, on the version last written. */
    private Write startWrite(Instant now) {
        Write write = new Write(latest, pending, now);
        writing = pending;
        pending = null;
        lastProgressWrite = now;
        return write;
    }

    /**
     * One conditional write, outside the lock; a cancel request that raced it is noticed for free on the re-read.
     * A value that did not land stays pending, for the next flush or the outcome, unless a newer one came meanwhile.
     */
    private void send(Write write) {
        Job saved = null;
        Job current = null;
        RuntimeException failure = null;
        try {
            saved = store.save(write.base(), write.base().withProgress(write.progress(), write.at()));
        } catch (ConcurrentJobModification e) {
            try {
                current = store.find(claimed.jobId()).orElse(null);
            } catch (RuntimeException readFailure) {
                failure = readFailure;
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        lock.lock();
        try {
            writing = null;
            boolean reportedMeanwhile = pending != null;
            if (saved != null) {
                latest = saved;
            } else if (failure == null && (current == null || !claimed.leaseToken().equals(current.leaseToken()))) {
                closed = true; // another attempt owns the job now: stop writing
            } else {
                if (failure == null) {
                    latest = current;
                    cancelRequested |= current.cancelRequested();
                }
                if (!reportedMeanwhile) {
                    pending = write.progress(); // lands with the next flush or with the outcome
                }
            }
            if (!closed && reportedMeanwhile) {
                Duration wait = Duration.between(clock.instant(), lastProgressWrite.plus(PROGRESS_INTERVAL));
                scheduleFlush(wait.isNegative() ? Duration.ZERO : wait);
            }
            writeDone.signalAll();
        } finally {
            lock.unlock();
        }
        if (failure != null) {
            Log.warn("job.progress-failed", "jobId", claimed.jobId(), "error", failure.toString());
        }
    }

    @Override
    public boolean cancelRequested() {
        lock.lock();
        try {
            Instant now = clock.instant();
            if (cancelRequested || !now.isAfter(lastCancelCheck.plus(CANCEL_CHECK_INTERVAL))) {
                return cancelRequested;
            }
            lastCancelCheck = now;
        } finally {
            lock.unlock();
        }
        boolean requested = store.find(claimed.jobId()).map(Job::cancelRequested).orElse(false);
        lock.lock();
        try {
            cancelRequested |= requested;
            return cancelRequested;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String submit(JobSpec followUp) {
        int index;
        lock.lock();
        try {
            index = ++followUpsStarted;
        } finally {
            lock.unlock();
        }
        return followUps.start(claimed, index, followUp);
    }

    /**
     * Ends the attempt's writes and returns the job to write the outcome on: the version last written (after the
     * write in flight, if any), carrying the progress not yet written (so the last value lands with the outcome,
     * at no extra write).
     */
    Job close() {
        lock.lock();
        try {
            closed = true;
            while (writing != null) {
                writeDone.awaitUninterruptibly();
            }
            return pending == null ? latest : latest.carryingProgress(pending);
        } finally {
            lock.unlock();
        }
    }
}
