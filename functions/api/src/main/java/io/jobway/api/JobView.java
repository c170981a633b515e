package io.jobway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobway.job.Job;
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
        node.set("payload", job.payload() == null ? null : Json.parse(job.payload()));
        node.set("result", job.result() == null ? null : Json.parse(job.result()));
        if (job.lastError() == null) {
            node.putNull("error");
        } else {
            node.putObject("error").put("message", job.lastError().message()).put("type", job.lastError().type());
        }
        node.put("attempt", job.attempt());
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
        time(node, "runAt", job.runAt());
        time(node, "createdAt", job.createdAt());
        time(node, "startedAt", job.startedAt());
        time(node, "finishedAt", job.finishedAt());
        time(node, "updatedAt", job.updatedAt());
        return node;
    }

    private static void time(ObjectNode node, String name, Instant value) {
        node.put(name, value == null ? null : value.toString());
    }
}
