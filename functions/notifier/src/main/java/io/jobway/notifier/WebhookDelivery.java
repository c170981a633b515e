package io.jobway.notifier;

import io.jobway.job.Backoff;
import io.jobway.job.JobError;
import io.jobway.events.SqsMessage;
import io.jobway.notify.CallbackUrlGuard;
import io.jobway.notify.DeliveryLog;
import io.jobway.notify.OutboundHttp;
import io.jobway.notify.WebhookMessage;
import io.jobway.notify.WebhookSecretStore;
import io.jobway.notify.WebhookSigner;
import io.jobway.obs.JobMetrics;
import io.jobway.obs.Log;
import io.jobway.queue.JobQueue;
import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Delivers one webhook: signed with the tenant's valid secrets, POSTed without following redirects, every
 * attempt recorded. A 2xx ends it; anything else is tried again with exponential backoff through the
 * message's visibility (hours in all), and after the last attempt the message goes to the dead-letter queue.
 * {@link #process} is the webhook function's function for its batch processor.
 */
final class WebhookDelivery {
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** What becomes of the message: done with it, or back in the queue after {@code retryAfter}. */
    record Outcome(boolean done, Duration retryAfter) {
    }

    private final WebhookSecretStore secrets;
    private final DeliveryLog log;
    private final CallbackUrlGuard guard;
    private final OutboundHttp http;
    private final Backoff backoff;
    /** Attempts before the message goes to the dead-letter queue (template parameter WebhookMaxAttempts). */
    private final int maxAttempts;
    /** The webhook queue: backoff through a message's visibility, and its dead-letter queue. */
    private final JobQueue queue;
    private final Clock clock;
    private final JobMetrics metrics;
    private final SecureRandom random = new SecureRandom();

    WebhookDelivery(WebhookSecretStore secrets, DeliveryLog log, CallbackUrlGuard guard, OutboundHttp http,
                    Backoff backoff, int maxAttempts, JobQueue queue, Clock clock, JobMetrics metrics) {
        this.metrics = metrics;
        this.secrets = secrets;
        this.log = log;
        this.guard = guard;
        this.http = http;
        this.backoff = backoff;
        this.maxAttempts = maxAttempts;
        this.queue = queue;
        this.clock = clock;
    }

    /**
     * Delivers one message of a batch: true when done with it (delivered, or given up); false to have it back
     * after the backoff, which is set here as the message's visibility. A throw (the secrets, the delivery log or
     * the DLQ out of reach) also sets the backoff before it goes up, so the message is back in seconds, not after
     * the queue's 180 s visibility timeout (the chaos soak saw never-answered webhooks wait 3 minutes that way).
     */
    boolean process(SqsMessage sqsMessage) {
        Outcome outcome;
        try {
            outcome = deliver(sqsMessage);
        } catch (RuntimeException e) {
            retryAfter(sqsMessage, backoff.delayAfter(sqsMessage.receiveCount(), random));
            throw e;
        }
        if (!outcome.done()) {
            retryAfter(sqsMessage, outcome.retryAfter());
        }
        return outcome.done();
    }

    /** Sets the backoff; if SQS refuses (a stale receipt), the message still comes back after its timeout. */
    private void retryAfter(SqsMessage message, Duration delay) {
        try {
            queue.changeVisibility(message.receiptHandle(), delay);
        } catch (RuntimeException e) {
            Log.warn("webhook.backoff-not-set", "messageId", message.messageId(), "error", e.getMessage());
        }
    }

    Outcome deliver(SqsMessage sqsMessage) {
        WebhookMessage message = WebhookMessage.parse(sqsMessage.body());
        int attempt = sqsMessage.receiveCount();
        Instant now = clock.instant();
        List<String> keys = secrets.valid(message.tenantId(), now).stream().map(WebhookSecretStore.Secret::value).toList();
        URI url;
        try {
            url = guard.parse(message.url()); // its addresses are checked as the call connects
        } catch (CallbackUrlGuard.UnsafeUrl e) {
            record(message, attempt, now, 0, 0, "callbackUrl " + e.getMessage());
            return giveUp(sqsMessage, message, "UnsafeCallbackUrl", "callbackUrl " + e.getMessage());
        }
        if (keys.isEmpty()) {
            record(message, attempt, now, 0, 0, "tenant has no webhook secret; create one with POST /v1/webhook-secrets");
            return retry(sqsMessage, message, attempt);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("user-agent", "Jobway-Webhooks/1");
        headers.putAll(WebhookSigner.headers(message.webhookId(), now, message.body(), keys));
        long started = System.nanoTime();
        try {
            // only the status counts: a receiver's body is not read
            OutboundHttp.Response response = http.send(new OutboundHttp.Request("POST", url.toString(), headers,
                    message.body()), REQUEST_TIMEOUT, 0);
            long latency = (System.nanoTime() - started) / 1_000_000;
            boolean delivered = response.status() / 100 == 2;
            record(message, attempt, now, response.status(), latency, delivered ? null
                    : "the receiver answered " + response.status());
            return delivered ? new Outcome(true, null) : retry(sqsMessage, message, attempt);
        } catch (CallbackUrlGuard.UnsafeUrl e) { // its host resolves inside a network now
            record(message, attempt, now, 0, 0, "callbackUrl " + e.getMessage());
            return giveUp(sqsMessage, message, "UnsafeCallbackUrl", "callbackUrl " + e.getMessage());
        } catch (IOException e) {
            record(message, attempt, now, 0, (System.nanoTime() - started) / 1_000_000, e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            return retry(sqsMessage, message, attempt);
        }
    }

    private Outcome retry(SqsMessage sqsMessage, WebhookMessage message, int attempt) {
        if (attempt >= maxAttempts) {
            return giveUp(sqsMessage, message, "WebhookUndeliverable",
                    "no 2xx from " + message.url() + " after " + attempt + " attempts");
        }
        return new Outcome(false, backoff.delayAfter(attempt, random));
    }

    private Outcome giveUp(SqsMessage sqsMessage, WebhookMessage message, String type, String reason) {
        queue.sendToDeadLetter(sqsMessage.body(), new JobError(reason, type, clock.instant()));
        Log.error("webhook.dead", "jobId", message.jobId(), "tenantId", message.tenantId(), "webhookId",
                message.webhookId(), "reason", reason);
        return new Outcome(true, null);
    }

    private void record(WebhookMessage message, int attempt, Instant at, int status, long latencyMs, String error) {
        log.record(new DeliveryLog.Attempt(message.jobId(), message.webhookId(), attempt, at, message.url(), status,
                latencyMs, status / 100 == 2, error));
        metrics.count(null, status / 100 == 2 ? JobMetrics.WEBHOOKS_DELIVERED : JobMetrics.WEBHOOK_FAILURES);
        Log.info("webhook.attempt", "jobId", message.jobId(), "tenantId", message.tenantId(), "attempt", attempt,
                "statusCode", status, "latencyMs", latencyMs);
    }
}
