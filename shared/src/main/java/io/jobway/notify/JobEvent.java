package io.jobway.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobway.job.Job;
import io.jobway.json.Json;

/** What a subscribed browser receives when a job changes: its state, never its payload or result. */
public final class JobEvent {
    private JobEvent() {
    }

    public static String toJson(Job job) {
        ObjectNode event = Json.object();
        event.put("type", "job");
        event.put("jobId", job.jobId());
        event.put("jobType", job.type());
        event.put("status", job.status().wireName());
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
