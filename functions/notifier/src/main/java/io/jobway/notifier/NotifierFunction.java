package io.jobway.notifier;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.jobway.aws.Clients;
import io.jobway.aws.Config;
import io.jobway.aws.Priming;
import io.jobway.events.BatchProcessor;
import io.jobway.events.StreamBatch;
import io.jobway.events.StreamRecord;
import io.jobway.notify.ConnectionStore;
import io.jobway.obs.JobMetrics;
import io.jobway.obs.Log;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * DynamoDB Streams -> notifications: every status or progress change is pushed, in stream order, to the
 * WebSocket connections subscribed to the job or its tenant; a job that finished with a callbackUrl gets its
 * webhook queued for delivery. The batch processor runs the jobs in parallel, each job's records one after the other
 * in stream order (the order a browser sees is per job); when a record fails, its job's later records wait for
 * Lambda's retry, and the batch reports the earliest failed record, from where Lambda delivers again (at least
 * once; bisect and the on-failure destination are set in template.yaml). It reads the raw stream batch itself
 * ({@link StreamBatch}), so that Lambda's runtime never loads its event serializer: the first change after an idle
 * spell waits for this function's cold start.
 */
public final class NotifierFunction implements RequestStreamHandler {
    /** template.yaml's Timeout for this function; its AWS calls are fitted to it (TemplateRulesTest). */
    public static final Duration LAMBDA_TIMEOUT = Duration.ofSeconds(30);
    /** One MODIFY record of a job going from queued to running, as DynamoDB Streams delivers it. */
    private static final String PRIMING_CHANGE = """
            {"Records":[{"eventName":"MODIFY","dynamodb":{"Keys":{"jobId":{"S":"%1$s"}},
              "OldImage":{"jobId":{"S":"%1$s"},"tenantId":{"S":"snapstart-priming"},"type":{"S":"echo"},
                "payload":{"S":"{}"},"maxAttempts":{"N":"3"},"timeoutSeconds":{"N":"60"},"createdAt":{"N":"0"},
                "runAt":{"N":"0"},"updatedAt":{"N":"0"},"status":{"S":"queued"},"attempt":{"N":"0"},
                "version":{"N":"1"}},
              "NewImage":{"jobId":{"S":"%1$s"},"tenantId":{"S":"snapstart-priming"},"type":{"S":"echo"},
                "payload":{"S":"{}"},"maxAttempts":{"N":"3"},"timeoutSeconds":{"N":"60"},"createdAt":{"N":"0"},
                "runAt":{"N":"0"},"updatedAt":{"N":"0"},"status":{"S":"running"},"attempt":{"N":"1"},
                "startedAt":{"N":"0"},"version":{"N":"2"}},
              "SequenceNumber":"1","StreamViewType":"NEW_AND_OLD_IMAGES"}}]}"""
            .formatted("00000000-0000-7000-8000-000000000000");

    private final BatchProcessor<StreamRecord> batch;
    /** Held here because CRaC keeps resources weakly; null when built for tests. */
    final Priming priming;

    public NotifierFunction() {
        this(Config.fromEnvironment(), Clients.create(Config.fromEnvironment(), LAMBDA_TIMEOUT));
    }

    public NotifierFunction(Config config, Clients clients) {
        this(notifications(config, clients), sqsOutbox(clients.sqs(), config.require(Config.WEBHOOK_QUEUE_URL)),
                clients.metrics(), clients.clock(), Priming.register("NotifierFunction", clients, primed -> {
                    // SnapStart priming: a status change read from its stream images; the subscribers' lookup
                    // marshalled and not sent
                    var notifier = new NotifierFunction(notifications(config, primed),
                            sqsOutbox(primed.sqs(), config.require(Config.WEBHOOK_QUEUE_URL)), primed.metrics(),
                            primed.clock(), null);
                    Priming.invoke(notifier, PRIMING_CHANGE.getBytes(StandardCharsets.UTF_8),
                            Priming.context("NotifierFunction", LAMBDA_TIMEOUT));
                }));
    }

    NotifierFunction(Notifications notifications, WebhookOutbox webhooks) {
        this(notifications, webhooks, JobMetrics.NONE, Clock.systemUTC(), null);
    }

    private NotifierFunction(Notifications notifications, WebhookOutbox webhooks, JobMetrics metrics, Clock clock,
                             Priming priming) {
        JobChanges changes = new JobChanges(new ChangeDetector(), webhooks, metrics, clock);
        this.batch = BatchProcessor.stream("notify.record-failed", record -> record.key("jobId"), context -> {
            Notifications forBatch = notifications.forBatch(); // each subscription looked up once per batch
            return record -> changes.notify(record, forBatch);
        });
        this.priming = priming;
    }

    private static Notifications notifications(Config config, Clients clients) {
        return new WebSocketNotifications(
                new ConnectionStore(clients.dynamo(), config.require(Config.CONNECTIONS_TABLE)),
                clients.build(ApiGatewayManagementApiClient.builder()
                        .endpointOverride(URI.create(config.require(Config.WEBSOCKET_ENDPOINT))),
                        "APIGATEWAYMANAGEMENTAPI"), clients.clock());
    }

    private static WebhookOutbox sqsOutbox(SqsClient sqs, String queueUrl) {
        return message -> sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(message.toJson()));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        try (Log.Scope scope = Log.invocation(context)) {
            batch.handle(input, output, context);
        }
    }
}
