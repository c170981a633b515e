package io.jobway.examples.dm;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.handler.JobContext;
import io.jobway.handler.JobHandler;
import io.jobway.handler.PermanentJobFailure;
import io.jobway.json.Json;

/** Job type {@code post}: publishes a scheduled post; submit it with {@code runAt}, and it runs then. */
public final class PostHandler implements JobHandler {
    @Override
    public String type() {
        return "post";
    }

    @Override
    public JsonNode handle(JobContext context) {
        JsonNode payload = context.payload();
        if (payload == null || !payload.path("accountId").isTextual() || !payload.path("text").isTextual()) {
            throw new PermanentJobFailure("post needs a payload {\"accountId\": \"...\", \"text\": \"...\"}");
        }
        DmDrainHandler.LINKEDIN.publish(payload.get("accountId").asText(), payload.get("text").asText());
        return Json.object().put("published", true).put("for", context.runAt().toString());
    }
}
