package io.jobway.notify;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.json.Json;

/**
 * A webhook waiting to be delivered, as it sits in the webhook queue: the {@code webhook-id} (stable, so
 * receivers can drop a repeat), where it goes, and the exact body to sign and send.
 */
public record WebhookMessage(String webhookId, String jobId, String tenantId, String url, String body) {
    public String toJson() {
        return Json.write(Json.object().put("webhookId", webhookId).put("jobId", jobId).put("tenantId", tenantId)
                .put("url", url).put("body", body));
    }

    public static WebhookMessage parse(String json) {
        JsonNode node = Json.parse(json);
        return new WebhookMessage(node.get("webhookId").asText(), node.get("jobId").asText(),
                node.get("tenantId").asText(), node.get("url").asText(), node.get("body").asText());
    }
}
