package io.jobway.worker.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.handler.JobContext;
import io.jobway.handler.JobHandler;

/** {@code echo}: succeeds with its payload as the result. */
public final class EchoHandler implements JobHandler {
    @Override
    public String type() {
        return "echo";
    }

    @Override
    public JsonNode handle(JobContext context) {
        return context.payload();
    }
}
