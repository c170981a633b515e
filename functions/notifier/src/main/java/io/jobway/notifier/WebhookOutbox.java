package io.jobway.notifier;

import io.jobway.notify.WebhookMessage;

/** Where webhooks wait for delivery (the webhook queue), so a slow receiver never holds up the stream. */
interface WebhookOutbox {
    void enqueue(WebhookMessage message);
}
