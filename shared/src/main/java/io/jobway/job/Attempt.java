package io.jobway.job;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One attempt in a job's history: its number, when it started, and when and how it ended (both null while it
 * runs). A failed attempt keeps its error's type and message; the stack stays with the job's last error only.
 */
public record Attempt(int number, Instant startedAt, Instant finishedAt, Outcome outcome, String errorType,
                      String errorMessage) {
    /**
     * A job keeps its last 20 attempts ({@code attempt} still counts them all): the history rides along on every
     * write of the job's item, which DynamoDB bills by the kilobyte, so it must not grow with a job's age.
     */
    public static final int KEPT = 20;
    /** An attempt's message is cut to this many characters, for the same reason; the last error keeps 2,000. */
    static final int MAX_MESSAGE = 256;

    /** How an attempt ended. */
    public enum Outcome {
        SUCCEEDED("succeeded"), FAILED("failed"), TIMED_OUT("timedOut"), CANCELLED("cancelled"),
        /** Given back without spending an attempt (a limit was full, or the handler asked to come back later). */
        DEFERRED("deferred"),
        /** Its worker stopped before it wrote an outcome: the lease expired and a later attempt, or death, followed. */
        LOST("lost");

        private final String wireName;

        Outcome(String wireName) {
            this.wireName = wireName;
        }

        /** The name on the wire and in the table. */
        public String wireName() {
            return wireName;
        }

        public static Outcome fromWire(String value) {
            for (Outcome o : values()) {
                if (o.wireName().equals(value)) {
                    return o;
                }
            }
            throw new IllegalArgumentException("unknown attempt outcome '" + value + "'");
        }

        /** The outcome of an attempt that ended in {@code error}: the worker names timeouts and lost workers. */
        static Outcome of(JobError error) {
            return switch (error.type() == null ? "" : error.type()) {
                case JobError.TIMEOUT -> TIMED_OUT;
                case JobError.WORKER_LOST -> LOST;
                default -> FAILED;
            };
        }
    }

    public Attempt {
        errorMessage = errorMessage != null && errorMessage.length() > MAX_MESSAGE
                ? errorMessage.substring(0, MAX_MESSAGE) : errorMessage;
    }

    static Attempt started(int number, Instant at) {
        return new Attempt(number, at, null, null, null, null);
    }

    public boolean running() {
        return outcome == null;
    }

    Attempt ended(Outcome how, JobError error, Instant at) {
        return new Attempt(number, startedAt, at, how, error == null ? null : error.type(),
                error == null ? null : error.message());
    }

    /**
     * The history as a job keeps it: the last {@link #KEPT}, and an attempt still open when a later one started
     * marked lost (the store's claim appends the new attempt without reading the old one, so it cannot close it).
     * When it stopped is not known: it keeps no end time.
     */
    static List<Attempt> kept(List<Attempt> attempts) {
        if (attempts == null || attempts.isEmpty()) {
            return List.of();
        }
        List<Attempt> kept = new ArrayList<>(attempts.subList(Math.max(0, attempts.size() - KEPT), attempts.size()));
        for (int i = 0; i < kept.size() - 1; i++) {
            Attempt a = kept.get(i);
            if (a.running()) {
                kept.set(i, new Attempt(a.number, a.startedAt, null, Outcome.LOST, null, null));
            }
        }
        return List.copyOf(kept);
    }
}
