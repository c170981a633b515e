package io.jobway.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobway.job.JobIds;
import io.jobway.job.Priority;
import io.jobway.json.Json;
import java.util.Optional;

/**
 * The body of a job's SQS message. The record in the table is the truth; the message carries the id and the
 * job's timeout so a worker can see whether the job fits in its remaining time before it claims an attempt, the
 * job's priority, which names the queue it is sent to, and its tenant, so that a message whose record never
 * appeared can still be shown to the tenant it was for (the worker never trusts it: the record is the truth).
 * {@code tenantId} is null in messages sent before it was added.
 */
public record JobMessage(String jobId, int timeoutSeconds, Priority priority, String tenantId) {
    public JobMessage {
        priority = priority == null ? Priority.NORMAL : priority;
    }

    public JobMessage(String jobId, int timeoutSeconds) {
        this(jobId, timeoutSeconds, Priority.NORMAL, null);
    }

    public String toBody() {
        ObjectNode body = Json.object().put("jobId", jobId).put("timeoutSeconds", timeoutSeconds);
        if (priority != Priority.NORMAL) {
            body.put("priority", priority.wireName());
        }
        if (tenantId != null) {
            body.put("tenantId", tenantId);
        }
        return Json.write(body);
    }

    public static JobMessage of(io.jobway.job.Job job) {
        return new JobMessage(job.jobId(), job.timeoutSeconds(), job.priority(), job.tenantId());
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
            JsonNode tenant = node.get("tenantId");
            return Optional.of(new JobMessage(id.asText(), timeout.asInt(),
                    priority == null ? Priority.NORMAL : Priority.fromWire(priority.asText()),
                    tenant != null && tenant.isTextual() ? tenant.asText() : null));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
