package io.jobway.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import io.jobway.fixtures.InMemoryConnectionsTable;
import io.jobway.fixtures.LambdaEvents;
import io.jobway.json.Json;
import io.jobway.notify.ConnectionStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.PostToConnectionRequest;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.PostToConnectionResponse;

/**
 * A change of a job carrying tags reaches the connections subscribed to any of its tags, once per connection
 * however many of its subscriptions match (by id, by tag, to the tenant), and never another tenant's.
 */
class TagSubscribersTest {
    private static final String TENANT = "tenant-sample";
    private static final String JOB = "019ca944-3328-76ba-a4a4-f7a3c88b2875";

    /** Notes every post as "connection: status". */
    private static final class RecordingManagement implements ApiGatewayManagementApiClient {
        final List<String> posts = new CopyOnWriteArrayList<>();

        @Override
        public PostToConnectionResponse postToConnection(PostToConnectionRequest request) {
            posts.add(request.connectionId() + ": " + Json.parse(request.data().asUtf8String()).get("status").asText());
            return PostToConnectionResponse.builder().build();
        }

        @Override
        public String serviceName() {
            return "execute-api";
        }

        @Override
        public void close() {
        }
    }

    private final ConnectionStore connections = new ConnectionStore(new InMemoryConnectionsTable(), "connections");
    private final RecordingManagement management = new RecordingManagement();
    private final NotifierFunction notifier = new NotifierFunction(new WebSocketNotifications(connections,
            management, Clock.systemUTC()), message -> { });

    @Test
    void each_change_of_a_tagged_job_reaches_each_subscriber_of_its_tags_once() {
        Instant now = Instant.now();
        subscribeToTag("c-tag", TENANT, "user:42", null);
        subscribeToTag("c-both", TENANT, "user:42", null);
        connections.subscribe("c-both", connections.connection("c-both").orElseThrow(), JOB, now);
        subscribeToTag("c-second-tag", TENANT, "team/a", null);
        subscribeToTag("c-other-tag", TENANT, "user:43", null);
        subscribeToTag("c-other-tenant", "tenant-b", "user:42", null);

        var response = StreamBatches.send(notifier, sampleTagged("user:42", "team/a"));

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(management.posts).containsExactlyInAnyOrder(
                "c-tag: running", "c-tag: succeeded",
                "c-both: running", "c-both: succeeded",
                "c-second-tag: running", "c-second-tag: succeeded");
    }

    @Test
    void a_tag_tokens_subscriber_hears_nothing_once_its_token_expired() {
        subscribeToTag("c-expired", TENANT, "user:42", Instant.now().minusSeconds(1));
        subscribeToTag("c-valid", TENANT, "user:42", Instant.now().plusSeconds(600));

        StreamBatches.send(notifier, sampleTagged("user:42"));

        assertThat(management.posts).containsExactly("c-valid: running", "c-valid: succeeded");
    }

    @Test
    void a_job_without_tags_reaches_no_tag_subscriber() {
        subscribeToTag("c-tag", TENANT, "user:42", null);

        StreamBatches.send(notifier, LambdaEvents.load("notifier-status-change.json", DynamodbEvent.class));

        assertThat(management.posts).isEmpty();
    }

    @Test
    void the_event_names_the_jobs_tags() {
        subscribeToTag("c-tag", TENANT, "user:42", null);
        List<String> events = new CopyOnWriteArrayList<>();
        NotifierFunction recording = new NotifierFunction((tenant, job, tags, event) -> events.add(event),
                message -> { });

        StreamBatches.send(recording, sampleTagged("user:42", "team/a"));

        assertThat(events).hasSize(2);
        assertThat(Json.parse(events.get(0)).get("tags")).isEqualTo(Json.parse("[\"user:42\",\"team/a\"]"));
    }

    /** A connection of {@code tenant} (a tag token's until {@code until}, or a key's when null) following a tag. */
    private void subscribeToTag(String connectionId, String tenant, String tag, Instant until) {
        Instant now = Instant.now();
        ConnectionStore.Connection connection = until == null ? new ConnectionStore.Connection(tenant, null, null)
                : new ConnectionStore.Connection(tenant, null, tag, until);
        connections.connect(connectionId, connection, now);
        connections.subscribeToTag(connectionId, connections.connection(connectionId).orElseThrow(), tag, now);
    }

    /** The sample's two changes of one job, the job carrying {@code tags}. */
    private static DynamodbEvent sampleTagged(String... tags) {
        DynamodbEvent event = LambdaEvents.load("notifier-status-change.json", DynamodbEvent.class);
        List<AttributeValue> list = java.util.Arrays.stream(tags).map(t -> new AttributeValue().withS(t)).toList();
        event.getRecords().forEach(record -> {
            record.getDynamodb().getNewImage().put("tags", new AttributeValue().withL(list));
            record.getDynamodb().getOldImage().put("tags", new AttributeValue().withL(list));
        });
        assertThat(Set.of(tags)).hasSize(tags.length);
        return event;
    }
}
