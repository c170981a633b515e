package io.jobway.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobway.job.JobIds;
import io.jobway.job.Priority;
import io.jobway.json.Json;
import java.util.Optional;

/**
 * The body of a job's SQS message. The record in the table is the truth; the message carries the id and the
 * job's timeout so a worker can see whether the job fits in its remaining time before it claims an attempt, and
 * the job's priority, which names the queue it is sent to.
 */
public record JobMessage(String jobId, int timeoutSeconds, Priority priority) {
    public JobMessage {
        priority = priority == null ? Priority.NORMAL : priority;
    }

    public JobMessage(String jobId, int timeoutSeconds) {
        this(jobId, timeoutSeconds, Priority.NORMAL);
    }

    public String toBody() {
        ObjectNode body = Json.object().put("jobId", jobId).put("timeoutSeconds", timeoutSeconds);
        if (priority != Priority.NORMAL) {
            body.put("priority", priority.wireName());
        }
        return Json.write(body);
    }

    public static JobMessage of(io.jobway.job.Job job) {
        return new JobMessage(job.jobId(), job.timeoutSeconds(), job.priority());
    }

    /** Empty when the body is not a job message (a poison message). */
    public static Optional<JobMessage> parse(String body) {
        try {
            JsonNode node = Json.parse(body);
            JsonNode id = node.get("jobId");
            JsonNode timeout = node.get("timeoutSeconds");
            boolean valid = id != null && id.isTextual() && JobIds.isValid(id.asText())
                    && timeout != null && timeout.canConvertToInt() && timeout.asInt() > 0;
            if (!valid) {
                return Optional.empty();
            }
            JsonNode priority = node.get("priority");
            return Optional.of(new JobMessage(id.asText(), timeout.asInt(),
                    priority == null ? Priority.NORMAL : Priority.fromWire(priority.asText())));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
