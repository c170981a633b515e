package io.jobway.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobway.job.Job;
import io.jobway.json.Json;

/** What a subscribed browser receives when a job changes: its state, never its payload or result. */
public final class JobEvent {
    private JobEvent() {
    }

    /**
     * The body of the webhook for a job that finished, in the Standard Webhooks envelope
     * ({@code type}, {@code timestamp}, {@code data}); the app's backend gets the result and the error too.
     */
    public static String webhookBody(Job job) {
        ObjectNode body = Json.object();
        body.put("type", "job." + job.status().wireName());
        body.put("timestamp", (job.finishedAt() != null ? job.finishedAt() : job.updatedAt()).toString());
        ObjectNode data = body.putObject("data");
        data.put("jobId", job.jobId());
        data.put("jobType", job.type());
        data.put("status", job.status().wireName());
        data.set("result", job.result() == null ? null : Json.parse(job.result()));
        if (job.lastError() == null) {
            data.putNull("error");
        } else {
            data.putObject("error").put("message", job.lastError().message()).put("type", job.lastError().type());
        }
        data.put("attempt", job.attempt());
        data.put("createdAt", job.createdAt().toString());
        data.put("finishedAt", job.finishedAt() == null ? null : job.finishedAt().toString());
        return Json.write(body);
    }

    /** The webhook-id of a job's terminal change: the same for a repeat of that change, new for a later one. */
    public static String webhookId(Job job) {
        return "msg_" + job.jobId() + "_" + job.version();
    }

    public static String toJson(Job job) {
        ObjectNode event = Json.object();
        event.put("type", "job");
        event.put("jobId", job.jobId());
        event.put("jobType", job.type());
        event.put("status", job.status().wireName());
        job.tags().forEach(event.putArray("tags")::add); // which tag subscription it came by
        if (job.progress() == null) {
            event.putNull("progress");
        } else {
            event.putObject("progress").put("percent", job.progress().percent())
                    .put("message", job.progress().message());
        }
        event.put("attempt", job.attempt());
        event.put("maxAttempts", job.maxAttempts());
        if (job.lastError() == null) {
            event.putNull("error");
        } else {
            event.putObject("error").put("message", job.lastError().message()).put("type", job.lastError().type());
        }
        event.put("updatedAt", job.updatedAt() == null ? null : job.updatedAt().toString());
        return Json.write(event);
    }
}
