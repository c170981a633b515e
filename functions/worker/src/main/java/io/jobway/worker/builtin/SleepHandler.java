package io.jobway.worker.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.handler.JobContext;
import io.jobway.handler.JobHandler;
import io.jobway.json.Json;

/**
 * {@code sleep} with payload {@code {"ms": n}}: waits n milliseconds, reporting progress as it goes and
 * stopping early when cancelled. Its result says how long, and from when until when the handler ran.
 */
public final class SleepHandler implements JobHandler {
    private static final long SLICE_MS = 200;

    @Override
    public String type() {
        return "sleep";
    }

    @Override
    public JsonNode handle(JobContext context) throws InterruptedException {
        JsonNode ms = context.payload() == null ? null : context.payload().get("ms");
        if (ms == null || !ms.canConvertToLong() || ms.asLong() < 0) {
            throw new IllegalArgumentException("sleep needs a payload {\"ms\": n} with n >= 0");
        }
        long total = ms.asLong();
        java.time.Instant from = java.time.Instant.now();
        long end = System.nanoTime() + total * 1_000_000;
        for (long left = total; left > 0; left = (end - System.nanoTime()) / 1_000_000) {
            context.checkCancelled();
            context.progress((int) ((total - left) * 100 / total), "slept " + (total - left) + " of " + total + " ms");
            Thread.sleep(Math.min(left, SLICE_MS));
        }
        context.progress(100, "slept " + total + " ms");
        // when the handler itself ran, by this machine's clock: what a test of concurrency limits compares
        return Json.object().put("sleptMs", ms.asLong()).put("from", from.toString())
                .put("until", java.time.Instant.now().toString());
    }
}
