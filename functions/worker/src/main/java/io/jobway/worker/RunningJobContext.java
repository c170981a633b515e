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

/**
 * The context of one running attempt. It keeps the latest version of the job it wrote, so progress writes
 * and the outcome write are conditional on it. Progress is written at most once a second: a report inside
 * the second waits for a flush (or for the outcome write, which carries it).
 */
final class RunningJobContext implements JobContext {
    static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);
    private static final Duration CANCEL_CHECK_INTERVAL = Duration.ofSeconds(2);
    private static final int MAX_PROGRESS_MESSAGE = 200;

    private final JsonNode payload;
    private final Instant deadline;
    private final JobStore store;
    private final Clock clock;
    private Job latest;
    private Progress pending;
    private Instant lastProgressWrite = Instant.MIN;
    private boolean flushScheduled;
    private boolean closed;
    private Instant lastCancelCheck = Instant.MIN;
    private boolean cancelRequested;
    private final FollowUps followUps;
    private int followUpsStarted;

    RunningJobContext(Job job, Instant deadline, JobStore store, FollowUps followUps, Clock clock) {
        this.latest = job;
        this.followUps = followUps;
        this.payload = job.payload() == null ? null : Json.parse(job.payload());
        this.deadline = deadline;
        this.store = store;
        this.clock = clock;
    }

    @Override
    public String jobId() {
        return latest.jobId();
    }

    @Override
    public String tenantId() {
        return latest.tenantId();
    }

    @Override
    public int attempt() {
        return latest.attempt();
    }

    @Override
    public int maxAttempts() {
        return latest.maxAttempts();
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
    public synchronized void progress(int percent, String message) {
        Progress next = new Progress(Math.max(0, Math.min(100, percent)),
                message == null || message.length() <= MAX_PROGRESS_MESSAGE ? message
                        : message.substring(0, MAX_PROGRESS_MESSAGE));
        if (closed || next.equals(latest.progress())) {
            return;
        }
        pending = next;
        Instant now = clock.instant();
        Instant allowedAt = lastProgressWrite.plus(PROGRESS_INTERVAL);
        if (!now.isBefore(allowedAt)) {
            writePending();
        } else if (!flushScheduled) {
            flushScheduled = true;
            Duration wait = Duration.between(now, allowedAt);
            Thread.ofVirtual().name("progress-" + latest.jobId()).start(() -> flushAfter(wait));
        }
    }

    private void flushAfter(Duration wait) {
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            flushScheduled = false;
            if (!closed && pending != null) {
                writePending();
            }
        }
    }

    /** One conditional write; a cancel request that raced it is noticed for free on the re-read. */
    private void writePending() {
        Instant now = clock.instant();
        Progress next = pending;
        pending = null;
        lastProgressWrite = now;
        try {
            latest = store.save(latest, latest.withProgress(next, now));
        } catch (ConcurrentJobModification e) {
            Job current = store.find(latest.jobId()).orElse(null);
            if (current == null || !latest.leaseToken().equals(current.leaseToken())) {
                closed = true; // another attempt owns the job now: stop writing
                return;
            }
            latest = current;
            cancelRequested |= current.cancelRequested();
            pending = next; // lands with the next flush or with the outcome
        } catch (RuntimeException e) {
            Log.warn("job.progress-failed", "jobId", latest.jobId(), "error", e.toString());
            pending = next;
        }
    }

    @Override
    public synchronized boolean cancelRequested() {
        Instant now = clock.instant();
        if (!cancelRequested && now.isAfter(lastCancelCheck.plus(CANCEL_CHECK_INTERVAL))) {
            lastCancelCheck = now;
            cancelRequested = store.find(latest.jobId()).map(Job::cancelRequested).orElse(false);
        }
        return cancelRequested;
    }

    @Override
    public String submit(JobSpec followUp) {
        int index;
        synchronized (this) {
            index = ++followUpsStarted;
        }
        return followUps.start(latest, index, followUp);
    }

    /**
     * Ends the attempt's writes and returns the job to write the outcome on: the version last written, carrying
     * the progress not yet written (so the last value lands with the outcome, at no extra write).
     */
    synchronized Job close() {
        closed = true;
        return pending == null ? latest : latest.carryingProgress(pending);
    }
}
