package io.jobway.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.handler.JobContext;
import io.jobway.handler.JobHandler;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** A handler that counts its runs and says when the first one started; the work is a real handler's. */
final class ObservedHandler implements JobHandler {
    interface Work {
        JsonNode run(JobContext context) throws Exception;
    }

    private final String type;
    private final Work work;
    private final AtomicInteger runs = new AtomicInteger();
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch ended = new CountDownLatch(1);
    private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();

    ObservedHandler(String type, Work work) {
        this.type = type;
        this.work = work;
    }

    static ObservedHandler wrapping(JobHandler handler) {
        return new ObservedHandler(handler.type(), handler::handle);
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public JsonNode handle(JobContext context) throws Exception {
        runs.incrementAndGet();
        started.countDown();
        try {
            return work.run(context);
        } catch (Exception | Error e) {
            firstFailure.compareAndSet(null, e);
            throw e;
        } finally {
            ended.countDown();
        }
    }

    int runs() {
        return runs.get();
    }

    boolean awaitFirstStart(Duration within) throws InterruptedException {
        return started.await(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether the first run returned or threw within the time given. */
    boolean awaitFirstEnd(Duration within) throws InterruptedException {
        return ended.await(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    Throwable firstFailure() {
        return firstFailure.get();
    }
}
