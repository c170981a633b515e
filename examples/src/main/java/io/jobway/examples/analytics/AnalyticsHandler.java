package io.jobway.examples.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobway.handler.JobContext;
import io.jobway.handler.JobHandler;
import io.jobway.handler.PermanentJobFailure;
import java.time.Instant;

/**
 * Job type {@code analytics}: turns a business event ({@code {"event", ...properties}}) into the tracking call an
 * analytics service takes. This example returns the call as its result instead of sending it, so it runs with no
 * account anywhere.
 */
public final class AnalyticsHandler implements JobHandler {
    @Override
    public String type() {
        return "analytics";
    }

    @Override
    public JsonNode handle(JobContext context) {
        JsonNode payload = context.payload();
        if (payload == null || !payload.path("event").isTextual()) {
            throw new PermanentJobFailure("'event' is required and must be a string");
        }
        ObjectNode track = payload.deepCopy();
        track.remove("event");
        ObjectNode call = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        call.put("event", payload.get("event").asText());
        call.put("distinctId", payload.path("customer").asText(context.tenantId()));
        call.put("insertId", context.jobId()); // lets the analytics service drop a repeat of this job's call
        call.put("time", Instant.now().toString());
        call.set("properties", track);
        return call;
    }
}
