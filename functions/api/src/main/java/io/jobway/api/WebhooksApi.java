package io.jobway.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobway.json.Json;
import io.jobway.events.HttpApiResponse;
import io.jobway.notify.DeliveryLog;
import io.jobway.notify.WebhookSecretStore;
import io.jobway.obs.Log;
import java.time.Clock;
import java.time.Instant;

/** The webhook routes: a tenant's signing secrets, and the delivery attempts of a job. */
final class WebhooksApi {
    private final WebhookSecretStore secrets;
    private final DeliveryLog deliveries;
    private final Clock clock;

    WebhooksApi(WebhookSecretStore secrets, DeliveryLog deliveries, Clock clock) {
        this.secrets = secrets;
        this.deliveries = deliveries;
        this.clock = clock;
    }

    /** {@code POST /v1/webhook-secrets}: a new secret, shown once; the older ones stay valid 24 hours. */
    HttpApiResponse rotate(String tenantId) {
        Instant now = clock.instant();
        WebhookSecretStore.Secret created;
        try {
            created = secrets.rotate(tenantId, now);
        } catch (IllegalStateException racedTooOften) {
            throw new ApiProblem(503, "unavailable", "Temporarily unavailable", racedTooOften.getMessage(),
                    java.util.List.of(), java.util.Map.of("retry-after", "1"));
        }
        Log.info("webhook.secret-rotated", "tenantId", tenantId);
        ObjectNode body = Json.object();
        body.put("secret", created.value());
        body.put("createdAt", created.createdAt().toString());
        body.put("previousSecretsValidUntil", now.plus(WebhookSecretStore.ROTATION_OVERLAP).toString());
        return HttpApiResponse.json(201, body);
    }

    /** {@code GET /v1/webhook-secrets}: the valid secrets, by a hint, never in full. */
    HttpApiResponse list(String tenantId) {
        ObjectNode body = Json.object();
        ArrayNode items = body.putArray("items");
        secrets.valid(tenantId, clock.instant()).forEach(s -> items.addObject().put("hint", s.hint())
                .put("createdAt", s.createdAt().toString())
                .put("expiresAt", s.expiresAt() == null ? null : s.expiresAt().toString()));
        return HttpApiResponse.json(200, body);
    }

    /** {@code GET /v1/jobs/{id}/deliveries} for a job the caller owns. */
    HttpApiResponse deliveries(String jobId) {
        ObjectNode body = Json.object();
        ArrayNode items = body.putArray("items");
        for (DeliveryLog.Attempt a : deliveries.of(jobId)) {
            items.addObject().put("webhookId", a.webhookId()).put("attempt", a.attempt()).put("at", a.at().toString())
                    .put("url", a.url()).put("statusCode", a.statusCode()).put("latencyMs", a.latencyMs())
                    .put("delivered", a.delivered()).put("error", a.error());
        }
        return HttpApiResponse.json(200, body);
    }
}
