package io.jobway.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.handler.JobCancelledException;
import io.jobway.handler.JobContext;
import io.jobway.handler.JobHandler;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** How one attempt of a handler ended. */
sealed interface Execution {
    record Succeeded(JsonNode result) implements Execution {
    }

    record Failed(Throwable error) implements Execution {
    }

    record TimedOut(Duration timeout) implements Execution {
    }

    record Cancelled() implements Execution {
    }

    /**
     * Runs the handler on a virtual thread and interrupts it at the timeout. A handler that ignores the
     * interrupt keeps its thread, but its outcome no longer counts: the attempt is recorded as timed out.
     */
    static Execution run(JobHandler handler, JobContext context, Duration timeout) {
        FutureTask<JsonNode> task = new FutureTask<>(() -> handler.handle(context));
        Thread thread = Thread.ofVirtual().name("job-" + context.jobId()).start(task);
        try {
            return new Succeeded(task.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            thread.interrupt();
            return new TimedOut(timeout);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return cause instanceof JobCancelledException ? new Cancelled() : new Failed(cause);
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
            return new Failed(e);
        }
    }
}
