package io.jobway.worker.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.handler.JobContext;
import io.jobway.handler.JobHandler;
import io.jobway.json.Json;

/** {@code sleep} with payload {@code {"ms": n}}: waits n milliseconds, stopping early when cancelled. */
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
        long end = System.nanoTime() + ms.asLong() * 1_000_000;
        for (long left = ms.asLong(); left > 0; left = (end - System.nanoTime()) / 1_000_000) {
            context.checkCancelled();
            Thread.sleep(Math.min(left, SLICE_MS));
        }
        return Json.object().put("sleptMs", ms.asLong());
    }
}
