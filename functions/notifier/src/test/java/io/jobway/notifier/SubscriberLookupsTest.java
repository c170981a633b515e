package io.jobway.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import io.jobway.fixtures.LambdaEvents;
import io.jobway.notify.ConnectionStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What the notifier asks DynamoDB and API Gateway for a batch, through the real SDK clients over a recording
 * transport: each subscription is looked up once per batch, and every record still reaches every subscriber.
 */
class SubscriberLookupsTest {
    /** Answers Query with one subscriber per subscription key and PostToConnection with 200; notes each call. */
    private static final class RecordingTransport implements SdkHttpClient {
        final List<String> queries = new CopyOnWriteArrayList<>();
        final List<String> posts = new CopyOnWriteArrayList<>();

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() throws IOException {
                    String target = request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse("");
                    String body = "";
                    if (target.endsWith(".Query")) {
                        String sent = read(request.contentStreamProvider().orElseThrow().newStream());
                        String key = sent.replaceAll(".*\"S\":\"(sub#[^\"]+)\".*", "$1");
                        queries.add(key);
                        body = "{\"Count\":1,\"ScannedCount\":1,\"Items\":[{\"pk\":{\"S\":\"" + key
                                + "\"},\"sk\":{\"S\":\"" + (key.endsWith("#all") ? "browser-all" : "browser-" + key)
                                + "\"}}]}";
                    } else {
                        posts.add(request.httpRequest().encodedPath());
                    }
                    return HttpExecuteResponse.builder()
                            .response(SdkHttpResponse.builder().statusCode(200).build())
                            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(
                                    body.getBytes(StandardCharsets.UTF_8)))).build();
                }

                @Override
                public void abort() {
                }
            };
        }

        private static String read(InputStream in) throws IOException {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
        }
    }

    private final RecordingTransport transport = new RecordingTransport();

    private NotifierFunction notifier() {
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(transport).region(Region.US_EAST_1)
                .credentialsProvider(credentials).endpointOverride(URI.create("http://dynamodb.test")).build();
        ApiGatewayManagementApiClient management = ApiGatewayManagementApiClient.builder().httpClient(transport)
                .region(Region.US_EAST_1).credentialsProvider(credentials)
                .endpointOverride(URI.create("http://ws.test/live")).build();
        return new NotifierFunction(new WebSocketNotifications(new ConnectionStore(dynamo, "connections"),
                management, java.time.Clock.systemUTC()), message -> { });
    }

    /** The sample's two status changes of one job, copied for each job id given. */
    private static DynamodbEvent batchOf(String... jobIds) {
        List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>();
        for (String jobId : jobIds) {
            DynamodbEvent sample = LambdaEvents.load("notifier-status-change.json", DynamodbEvent.class);
            for (DynamodbEvent.DynamodbStreamRecord record : sample.getRecords()) {
                AttributeValue id = new AttributeValue().withS(jobId);
                record.getDynamodb().getKeys().put("jobId", id);
                record.getDynamodb().getNewImage().put("jobId", id);
                record.getDynamodb().getOldImage().put("jobId", id);
                records.add(record);
            }
        }
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(records);
        return event;
    }

    @Test
    void a_batch_looks_up_each_job_and_the_tenant_once_and_every_change_reaches_every_subscriber() {
        var response = StreamBatches.send(notifier(), batchOf("job-1", "job-2", "job-3"));

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(transport.queries).containsExactlyInAnyOrder("sub#tenant-sample#all",
                "sub#tenant-sample#job#job-1", "sub#tenant-sample#job#job-2", "sub#tenant-sample#job#job-3");
        // 6 changes, each to the job's own browser and to the tenant-wide one
        assertThat(transport.posts).hasSize(12);
        assertThat(transport.posts.stream().filter(p -> p.endsWith("/browser-all")).count()).isEqualTo(6);
    }

    @Test
    void the_next_batch_looks_again_so_a_browser_that_subscribed_meanwhile_is_found() {
        NotifierFunction notifier = notifier();

        StreamBatches.send(notifier, batchOf("job-1"));
        StreamBatches.send(notifier, batchOf("job-1"));

        assertThat(transport.queries).hasSize(4);
    }
}
