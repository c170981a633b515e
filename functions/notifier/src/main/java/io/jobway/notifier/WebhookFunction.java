package io.jobway.notifier;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.jobway.aws.Clients;
import io.jobway.aws.Config;
import io.jobway.aws.Priming;
import io.jobway.aws.SqsBatchPayload;
import io.jobway.job.Backoff;
import io.jobway.notify.CallbackUrlGuard;
import io.jobway.notify.DeliveryLog;
import io.jobway.notify.WebhookMessage;
import io.jobway.notify.WebhookSecretStore;
import io.jobway.obs.Log;
import io.jobway.queue.JobQueue;
import io.jobway.queue.SqsJobQueue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Webhook queue -> receivers: each message delivered on its own virtual thread; failures retry by visibility.
 * It reads the raw event itself ({@link SqsBatchPayload}): Lambda's runtime then never loads its event serializer.
 */
public final class WebhookFunction implements RequestStreamHandler {
    /** template.yaml's Timeout for this function; its AWS calls are fitted to it (TemplateRulesTest). */
    public static final Duration LAMBDA_TIMEOUT = Duration.ofSeconds(30);
    private final WebhookDelivery delivery;
    private final JobQueue queue;
    /** Held here because CRaC keeps resources weakly; null when built for tests. */
    final Priming priming;

    public WebhookFunction() {
        this(Config.fromEnvironment(), Clients.create(Config.fromEnvironment(), LAMBDA_TIMEOUT));
    }

    public WebhookFunction(Config config, Clients clients) {
        this(config, clients.dynamo(), queue(config, clients), Priming.register("WebhookFunction", clients,
                primed -> {
                    // a webhook message read; its tenant's secrets lookup marshalled and not sent
                    byte[] batch = SqsBatchPayload.primingEvent(new WebhookMessage("msg_snapstart-priming",
                            "00000000-0000-7000-8000-000000000000", "snapstart-priming", "https://example.com/", "{}")
                            .toJson());
                    Priming.invoke(new WebhookFunction(config, primed.dynamo(), queue(config, primed), null), batch,
                            Priming.context("WebhookFunction", LAMBDA_TIMEOUT));
                }));
    }

    private WebhookFunction(Config config, DynamoDbClient dynamo, JobQueue queue, Priming priming) {
        this(new WebhookDelivery(
                new WebhookSecretStore(dynamo, config.require(Config.WEBHOOK_SECRETS_TABLE)),
                new DeliveryLog(dynamo, config.require(Config.DELIVERIES_TABLE)),
                CallbackUrlGuard.create(Boolean.parseBoolean(config.require(Config.ALLOW_PRIVATE_CALLBACK_URLS))),
                WebhookDelivery.httpClient(),
                new Backoff(Duration.ofSeconds(config.requireInt(Config.WEBHOOK_RETRY_BASE_SECONDS, 1, 3_600)),
                        Duration.ofHours(6)),
                queue::sendToDeadLetter,
                Clock.systemUTC()), queue, priming);
    }

    /** The webhook queue and its dead-letter queue are a {@link JobQueue} pair like the jobs queue's. */
    WebhookFunction(WebhookDelivery delivery, JobQueue queue) {
        this(delivery, queue, null);
    }

    private WebhookFunction(WebhookDelivery delivery, JobQueue queue, Priming priming) {
        this.delivery = delivery;
        this.queue = queue;
        this.priming = priming;
    }

    private static JobQueue queue(Config config, Clients clients) {
        return new SqsJobQueue(clients.sqs(), config.require(Config.WEBHOOK_QUEUE_URL),
                config.require(Config.WEBHOOK_DEAD_LETTER_QUEUE_URL));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        SqsBatchPayload.write(deliver(SqsBatchPayload.read(input)), output);
    }

    private SQSBatchResponse deliver(SQSEvent event) {
        List<SQSEvent.SQSMessage> messages = event.getRecords() == null ? List.of() : event.getRecords();
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<WebhookDelivery.Outcome>> outcomes = messages.stream()
                    .map(m -> executor.submit(() -> delivery.deliver(m))).toList();
            for (int i = 0; i < messages.size(); i++) {
                SQSEvent.SQSMessage message = messages.get(i);
                WebhookDelivery.Outcome outcome = outcomeOf(outcomes.get(i));
                if (outcome == null || !outcome.done()) {
                    if (outcome != null) {
                        retryAfter(message, outcome.retryAfter());
                    }
                    failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                }
            }
        }
        return new SQSBatchResponse(failures);
    }

    /** Sets the backoff; if SQS refuses (a stale receipt), the message still comes back after its timeout. */
    private void retryAfter(SQSEvent.SQSMessage message, Duration delay) {
        try {
            queue.changeVisibility(message.getReceiptHandle(), delay);
        } catch (RuntimeException e) {
            Log.warn("webhook.backoff-not-set", "messageId", message.getMessageId(), "error", e.getMessage());
        }
    }

    private static WebhookDelivery.Outcome outcomeOf(Future<WebhookDelivery.Outcome> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Log.error("webhook.delivery-failed", "error", String.valueOf(e.getCause()));
            return null; // comes back after the queue's visibility timeout
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
