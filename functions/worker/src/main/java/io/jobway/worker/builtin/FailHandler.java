package io.jobway.worker.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.handler.JobContext;
import io.jobway.handler.JobHandler;
import io.jobway.json.Json;

/** {@code fail} with payload {@code {"times": n}}: fails the first n attempts, then succeeds; -1 fails always. */
public final class FailHandler implements JobHandler {
    @Override
    public String type() {
        return "fail";
    }

    @Override
    public JsonNode handle(JobContext context) {
        JsonNode times = context.payload() == null ? null : context.payload().get("times");
        if (times == null || !times.canConvertToInt() || times.asInt() < -1) {
            throw new IllegalArgumentException("fail needs a payload {\"times\": n} with n >= -1");
        }
        if (times.asInt() == -1 || context.attempt() <= times.asInt()) {
            throw new IllegalStateException("failing on purpose: attempt " + context.attempt() + " of "
                    + (times.asInt() == -1 ? "always failing" : times.asInt() + " planned failures"));
        }
        return Json.object().put("succeededOnAttempt", context.attempt());
    }
}
