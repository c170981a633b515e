package io.jobway.queue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.job.JobIds;
import io.jobway.json.Json;
import java.util.Optional;

/**
 * The body of a job's SQS message. The record in the table is the truth; the message carries the id and the
 * job's timeout so a worker can see whether the job fits in its remaining time before it claims an attempt.
 */
public record JobMessage(String jobId, int timeoutSeconds) {
    public String toBody() {
        return Json.write(Json.object().put("jobId", jobId).put("timeoutSeconds", timeoutSeconds));
    }

    public static JobMessage of(io.jobway.job.Job job) {
        return new JobMessage(job.jobId(), job.timeoutSeconds());
    }

    /** Empty when the body is not a job message (a poison message). */
    public static Optional<JobMessage> parse(String body) {
        try {
            JsonNode node = Json.parse(body);
            JsonNode id = node.get("jobId");
            JsonNode timeout = node.get("timeoutSeconds");
            boolean valid = id != null && id.isTextual() && JobIds.isValid(id.asText())
                    && timeout != null && timeout.canConvertToInt() && timeout.asInt() > 0;
            return valid ? Optional.of(new JobMessage(id.asText(), timeout.asInt())) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
