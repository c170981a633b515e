package io.jobway.notifier;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.jobway.aws.Clients;
import io.jobway.aws.Config;
import io.jobway.aws.Priming;
import io.jobway.job.Backoff;
import io.jobway.events.BatchProcessor;
import io.jobway.events.SqsBatch;
import io.jobway.events.SqsMessage;
import io.jobway.notify.CallbackUrlGuard;
import io.jobway.notify.DeliveryLog;
import io.jobway.notify.OutboundHttp;
import io.jobway.notify.WebhookMessage;
import io.jobway.notify.WebhookSecretStore;
import io.jobway.obs.JobMetrics;
import io.jobway.obs.Log;
import io.jobway.queue.JobQueue;
import io.jobway.queue.SqsJobQueue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Webhook queue -> receivers: each message delivered ({@link WebhookDelivery#process}) on its own virtual thread by
 * the batch processor; failures retry by visibility. It reads the raw event itself ({@link SqsBatch}): Lambda's
 * runtime then never loads its event serializer.
 */
public final class WebhookFunction implements RequestStreamHandler {
    /** template.yaml's Timeout for this function; its AWS calls are fitted to it (TemplateRulesTest). */
    public static final Duration LAMBDA_TIMEOUT = Duration.ofSeconds(30);
    private final BatchProcessor<SqsMessage> batch;
    /** Held here because CRaC keeps resources weakly; null when built for tests. */
    final Priming priming;

    public WebhookFunction() {
        this(Config.fromEnvironment(), Clients.create(Config.fromEnvironment(), LAMBDA_TIMEOUT));
    }

    public WebhookFunction(Config config, Clients clients) {
        this(config, clients.dynamo(), queue(config, clients), clients.metrics(), Priming.register("WebhookFunction", clients,
                primed -> {
                    // a webhook message read; its tenant's secrets lookup marshalled and not sent
                    byte[] batch = SqsBatch.primingEvent(new WebhookMessage("msg_snapstart-priming",
                            "00000000-0000-7000-8000-000000000000", "snapstart-priming", "https://example.com/", "{}")
                            .toJson());
                    Priming.invoke(new WebhookFunction(config, primed.dynamo(), queue(config, primed),
                                    primed.metrics(), null), batch,
                            Priming.context("WebhookFunction", LAMBDA_TIMEOUT));
                }));
    }

    private WebhookFunction(Config config, DynamoDbClient dynamo, JobQueue queue, JobMetrics metrics,
                            Priming priming) {
        this(delivery(config, dynamo, queue, metrics), priming);
    }

    private static WebhookDelivery delivery(Config config, DynamoDbClient dynamo, JobQueue queue,
                                            JobMetrics metrics) {
        CallbackUrlGuard guard =
                CallbackUrlGuard.create(Boolean.parseBoolean(config.require(Config.ALLOW_PRIVATE_CALLBACK_URLS)));
        return new WebhookDelivery(
                new WebhookSecretStore(dynamo, config.require(Config.WEBHOOK_SECRETS_TABLE)),
                new DeliveryLog(dynamo, config.require(Config.DELIVERIES_TABLE)),
                guard,
                new OutboundHttp(guard),
                new Backoff(Duration.ofSeconds(config.requireInt(Config.WEBHOOK_RETRY_BASE_SECONDS, 1, 3_600)),
                        Duration.ofHours(6)),
                config.requireInt(Config.WEBHOOK_MAX_ATTEMPTS, 1, 19),
                queue,
                Clock.systemUTC(),
                metrics);
    }

    WebhookFunction(WebhookDelivery delivery) {
        this(delivery, (Priming) null);
    }

    private WebhookFunction(WebhookDelivery delivery, Priming priming) {
        this.batch = BatchProcessor.sqs("webhook.delivery-failed", context -> delivery::process);
        this.priming = priming;
    }

    /** The webhook queue and its dead-letter queue are a {@link JobQueue} pair like the jobs queue's. */
    private static JobQueue queue(Config config, Clients clients) {
        return new SqsJobQueue(clients.sqs(), config.require(Config.WEBHOOK_QUEUE_URL),
                config.require(Config.WEBHOOK_DEAD_LETTER_QUEUE_URL));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        try (Log.Scope scope = Log.invocation(context)) {
            batch.handle(input, output, context);
        }
    }
}
