package io.jobway.notifier;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.jobway.aws.Clients;
import io.jobway.aws.Config;
import io.jobway.job.Job;
import io.jobway.notify.ConnectionStore;
import io.jobway.notify.JobEvent;
import io.jobway.notify.WebhookMessage;
import io.jobway.obs.Log;
import io.jobway.store.JobItemMapper;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * DynamoDB Streams -> notifications: every status or progress change is pushed, in stream order, to the
 * WebSocket connections subscribed to the job or its tenant; a job that finished with a callbackUrl gets its
 * webhook queued for delivery. A record that fails stops the batch there and
 * is reported, so Lambda retries from it (bisect and the on-failure destination are set in template.yaml).
 */
public final class NotifierFunction implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
    private final ChangeDetector detector = new ChangeDetector();
    private final Notifications notifications;
    private final WebhookOutbox webhooks;

    public NotifierFunction() {
        this(Config.fromEnvironment(), Clients.create(Config.fromEnvironment()));
    }

    public NotifierFunction(Config config, Clients clients) {
        this(new WebSocketNotifications(
                new ConnectionStore(clients.dynamo(), config.require(Config.CONNECTIONS_TABLE)),
                clients.build(ApiGatewayManagementApiClient.builder()
                        .endpointOverride(URI.create(config.require(Config.WEBSOCKET_ENDPOINT))),
                        "APIGATEWAYMANAGEMENTAPI")),
                sqsOutbox(clients.sqs(), config.require(Config.WEBHOOK_QUEUE_URL)));
    }

    NotifierFunction(Notifications notifications, WebhookOutbox webhooks) {
        this.notifications = notifications;
        this.webhooks = webhooks;
    }

    private static WebhookOutbox sqsOutbox(SqsClient sqs, String queueUrl) {
        return message -> sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(message.toJson()));
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        for (DynamodbEvent.DynamodbStreamRecord record : event.getRecords() == null
                ? List.<DynamodbEvent.DynamodbStreamRecord>of() : event.getRecords()) {
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
                if (sequence == null) {
                    continue; // a record without a stream section cannot be retried by itself; it is only logged
                }
                failures.add(new StreamsEventResponse.BatchItemFailure(sequence));
                break;
            }
        }
        return new StreamsEventResponse(failures);
    }
}
