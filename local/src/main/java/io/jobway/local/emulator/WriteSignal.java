package io.jobway.local.emulator;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Tells waiters that a table was written. DynamoDB Streams has no long poll, so a stream reader polls; with this
 * it can rest while nothing is written and poll fast only after writes (see StreamEventSource).
 */
public final class WriteSignal {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition written = lock.newCondition();
    private long writes;

    /** How many writes have been signalled so far: pass it to {@link #awaitAfter}. */
    public long writes() {
        lock.lock();
        try {
            return writes;
        } finally {
            lock.unlock();
        }
    }

    public void signal() {
        lock.lock();
        try {
            writes++;
            written.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until a write after the {@code seen}-th is signalled, or {@code patience} passes; true if one was. */
    public boolean awaitAfter(long seen, Duration patience) throws InterruptedException {
        long left = patience.toNanos();
        lock.lock();
        try {
            while (writes == seen && left > 0) {
                left = written.awaitNanos(left);
            }
            return writes != seen;
        } finally {
            lock.unlock();
        }
    }
}
