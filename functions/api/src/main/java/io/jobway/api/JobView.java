package io.jobway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.jobway.job.Attempt;
import io.jobway.job.Job;
import io.jobway.job.JobSpec;
import io.jobway.json.Json;
import java.time.Instant;

/** The public JSON shape of a job: no lease, tenant or internal bookkeeping. */
final class JobView {
    private JobView() {
    }

    static ObjectNode of(Job job) {
        ObjectNode node = Json.object();
        node.put("jobId", job.jobId());
        node.put("type", job.type());
        node.put("status", job.status().wireName());
        node.set("payload", stored(job.payload()));
        node.set("result", stored(job.result()));
        if (job.lastError() == null) {
            node.putNull("error");
        } else {
            node.putObject("error").put("message", job.lastError().message()).put("type", job.lastError().type())
                    .put("stack", job.lastError().stack());
        }
        node.put("attempt", job.attempt());
        attempts(node.putArray("attempts"), job);
        node.put("maxAttempts", job.maxAttempts());
        node.put("timeoutSeconds", job.timeoutSeconds());
        if (job.progress() == null) {
            node.putNull("progress");
        } else {
            node.putObject("progress").put("percent", job.progress().percent())
                    .put("message", job.progress().message());
        }
        node.put("cancelRequested", job.cancelRequested());
        node.put("callbackUrl", job.callbackUrl());
        node.put("rateKey", job.rateKey());
        node.put("priority", job.priority().wireName());
        job.tags().forEach(node.putArray("tags")::add);
        node.put("idempotencyKey", job.idempotencyKey()); // a schedule's job shows its fire time here
        time(node, "runAt", job.runAt());
        time(node, "deferredUntil", job.deferredUntil());
        time(node, "createdAt", job.createdAt());
        time(node, "startedAt", job.startedAt());
        time(node, "finishedAt", job.finishedAt());
        time(node, "updatedAt", job.updatedAt());
        time(node, "expiresAt", job.expiresAt());
        return node;
    }

    /** The job's history, oldest first, each attempt's error without its stack. */
    private static void attempts(ArrayNode array, Job job) {
        for (Attempt attempt : job.attempts()) {
            ObjectNode node = array.addObject();
            node.put("attempt", attempt.number());
            time(node, "startedAt", attempt.startedAt());
            time(node, "finishedAt", attempt.finishedAt());
            node.put("outcome", attempt.running() ? "running" : attempt.outcome().wireName());
            if (attempt.errorType() == null && attempt.errorMessage() == null) {
                node.putNull("error");
            } else {
                node.putObject("error").put("type", attempt.errorType()).put("message", attempt.errorMessage());
            }
        }
    }

    /**
     * Stored JSON as a value, or as its text when it nests deeper than a payload may now (a job stored before that
     * limit): one such job must not break its tenant's listing, which nests it deeper still.
     */
    private static JsonNode stored(String json) {
        if (json == null) {
            return null;
        }
        try {
            JsonNode value = Json.parse(json);
            return Json.depth(value) <= JobSpec.MAX_PAYLOAD_DEPTH ? value : TextNode.valueOf(json);
        } catch (RuntimeException e) { // deeper than the parser allows, or not JSON at all
            return TextNode.valueOf(json);
        }
    }

    private static void time(ObjectNode node, String name, Instant value) {
        node.put(name, value == null ? null : value.toString());
    }
}
