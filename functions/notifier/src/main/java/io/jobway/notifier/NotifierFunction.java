package io.jobway.notifier;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.jobway.aws.Clients;
import io.jobway.aws.Config;
import io.jobway.aws.Priming;
import io.jobway.job.Job;
import io.jobway.notify.ConnectionStore;
import io.jobway.notify.JobEvent;
import io.jobway.notify.WebhookMessage;
import io.jobway.obs.Log;
import io.jobway.store.JobItemMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * DynamoDB Streams -> notifications: every status or progress change is pushed, in stream order, to the
 * WebSocket connections subscribed to the job or its tenant; a job that finished with a callbackUrl gets its
 * webhook queued for delivery. A record that fails stops the batch there and
 * is reported, so Lambda retries from it (bisect and the on-failure destination are set in template.yaml).
 * It reads the raw stream batch itself ({@link StreamBatchPayload}), so that Lambda's runtime never loads its
 * event serializer: the first change after an idle spell waits for this function's cold start.
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

    private final ChangeDetector detector = new ChangeDetector();
    private final Notifications notifications;
    private final WebhookOutbox webhooks;
    /** Held here because CRaC keeps resources weakly; null when built for tests. */
    final Priming priming;

    public NotifierFunction() {
        this(Config.fromEnvironment(), Clients.create(Config.fromEnvironment(), LAMBDA_TIMEOUT));
    }

    public NotifierFunction(Config config, Clients clients) {
        this(notifications(config, clients), sqsOutbox(clients.sqs(), config.require(Config.WEBHOOK_QUEUE_URL)),
                Priming.register("NotifierFunction", clients, primed -> {
                    // SnapStart priming: a status change read from its stream images; the subscribers' lookup
                    // marshalled and not sent
                    var notifier = new NotifierFunction(notifications(config, primed),
                            sqsOutbox(primed.sqs(), config.require(Config.WEBHOOK_QUEUE_URL)), null);
                    Priming.invoke(notifier, PRIMING_CHANGE.getBytes(StandardCharsets.UTF_8),
                            Priming.context("NotifierFunction", LAMBDA_TIMEOUT));
                }));
    }

    NotifierFunction(Notifications notifications, WebhookOutbox webhooks) {
        this(notifications, webhooks, null);
    }

    private NotifierFunction(Notifications notifications, WebhookOutbox webhooks, Priming priming) {
        this.notifications = notifications;
        this.webhooks = webhooks;
        this.priming = priming;
    }

    private static Notifications notifications(Config config, Clients clients) {
        return new WebSocketNotifications(
                new ConnectionStore(clients.dynamo(), config.require(Config.CONNECTIONS_TABLE)),
                clients.build(ApiGatewayManagementApiClient.builder()
                        .endpointOverride(URI.create(config.require(Config.WEBSOCKET_ENDPOINT))),
                        "APIGATEWAYMANAGEMENTAPI"));
    }

    private static WebhookOutbox sqsOutbox(SqsClient sqs, String queueUrl) {
        return message -> sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(message.toJson()));
    }

    /**
     * Jobs are notified in parallel, each job's records one after the other in stream order (the order a
     * browser sees is per job). When a record fails, its job's later records wait for Lambda's retry, and the
     * batch reports the earliest failed record, from where Lambda delivers again (at least once).
     */
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        StreamBatchPayload.write(notify(StreamBatchPayload.read(input)), output);
    }

    private StreamsEventResponse notify(DynamodbEvent event) {
        List<DynamodbEvent.DynamodbStreamRecord> records = event.getRecords() == null ? List.of() : event.getRecords();
        Map<String, List<Integer>> byJob = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            var keys = records.get(i).getDynamodb() == null ? null : records.get(i).getDynamodb().getKeys();
            String jobId = keys == null || keys.get("jobId") == null ? "?" + i : keys.get("jobId").getS();
            byJob.computeIfAbsent(jobId, k -> new ArrayList<>()).add(i);
        }
        Notifications batch = notifications.forBatch();
        int firstFailed = Integer.MAX_VALUE;
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> failedAt = byJob.values().stream()
                    .map(indexes -> executor.submit(() -> notifyInOrder(records, indexes, batch))).toList();
            for (Future<Integer> failed : failedAt) {
                firstFailed = Math.min(firstFailed, resultOf(failed));
            }
        }
        if (firstFailed == Integer.MAX_VALUE) {
            return new StreamsEventResponse(List.of());
        }
        return new StreamsEventResponse(List.of(new StreamsEventResponse.BatchItemFailure(
                records.get(firstFailed).getDynamodb().getSequenceNumber())));
    }

    /** Notifies one job's records in order; returns the index of the first that failed, or MAX_VALUE. */
    private int notifyInOrder(List<DynamodbEvent.DynamodbStreamRecord> records, List<Integer> indexes,
                              Notifications notifications) {
        for (int index : indexes) {
            DynamodbEvent.DynamodbStreamRecord record = records.get(index);
            try {
                detector.detect(record).ifPresent(change -> {
                    Job job = JobItemMapper.fromItem(StreamImage.toSdk(record.getDynamodb().getNewImage()));
                    notifications.publish(change.tenantId(), change.jobId(), JobEvent.toJson(job));
                    if (job.status().isTerminal() && !job.status().wireName().equals(change.previousStatus())
                            && job.callbackUrl() != null) {
                        webhooks.enqueue(new WebhookMessage(JobEvent.webhookId(job), job.jobId(), job.tenantId(),
                                job.callbackUrl(), JobEvent.webhookBody(job)));
                    }
                });
            } catch (RuntimeException e) {
                String sequence = record.getDynamodb() == null ? null : record.getDynamodb().getSequenceNumber();
                Log.error("notify.record-failed", "sequenceNumber", sequence, "error", e.toString());
                if (sequence != null) {
                    return index; // a record without a stream section cannot be retried by itself; it is only logged
                }
            }
        }
        return Integer.MAX_VALUE;
    }

    private static int resultOf(Future<Integer> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("notifying failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while notifying", e);
        }
    }
}
