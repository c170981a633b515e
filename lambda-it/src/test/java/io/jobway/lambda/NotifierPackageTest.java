package io.jobway.lambda;

import static io.jobway.lambda.Lambda.answer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.json.Json;
import io.jobway.notify.ConnectionStore;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * NotifierFunction's package under Lambda's runtime (SnapStart), fed the DynamoDB stream events of events/
 * (PascalCase images, epoch-second times: what only the runtime's serializer reads right). A browser of the
 * sample tenant is connected; what the function posts to it is the proof the records were read.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotifierPackageTest {
    private static final String JOB = "019ca944-3328-76ba-a4a4-f7a3c88b2875";
    private static final String BROWSER = "notifier-browser=";
    private final Lambda lambda = Lambda.shared();
    private ExecutionEnvironment notifier;

    @BeforeAll
    void start() {
        var connections = new ConnectionStore(lambda.stack.dynamo(), lambda.tableName("ConnectionsTable"));
        connections.connect(BROWSER, Lambda.SAMPLE_TENANT, Instant.now());
        connections.subscribe(BROWSER, new ConnectionStore.Connection(Lambda.SAMPLE_TENANT, null, null), null,
                Instant.now());
        notifier = ExecutionEnvironment.start(lambda.java, lambda.stack.function("NotifierFunction"),
                ExecutionEnvironment.Init.SNAP_START);
    }

    @BeforeEach
    void forgetEarlierPosts() {
        lambda.connections.clear();
    }

    @AfterAll
    void stop() {
        notifier.close();
    }

    @Test
    void every_sample_event_of_the_notifier_is_sent_here() {
        assertThat(lambda.eventsOf("NotifierFunction")).containsExactly("notifier-progress-change.json",
                "notifier-status-change.json", "notifier-tombstone-insert.json");
    }

    @Test
    void a_status_change_reaches_the_tenants_browser_once_per_record_in_stream_order() {
        JsonNode response = answer(notifier, lambda.event("notifier-status-change.json"));

        assertThat(response).isEqualTo(Json.parse("{\"batchItemFailures\":[]}"));
        List<JsonNode> sent = posted();
        assertThat(sent).extracting(event -> event.get("status").asText()).containsExactly("running", "succeeded");
        assertThat(sent).extracting(event -> event.get("jobId").asText()).containsOnly(JOB);
        assertThat(lambda.messages("WebhookQueue")).as("the job has no callbackUrl").noneMatch(m -> m.contains(JOB));
    }

    @Test
    void a_progress_change_reaches_the_browser_with_its_percent() {
        JsonNode response = answer(notifier, lambda.event("notifier-progress-change.json"));

        assertThat(response.get("batchItemFailures")).isEmpty();
        assertThat(posted()).singleElement().satisfies(event -> {
            assertThat(event.at("/progress/percent").asInt()).isEqualTo(60);
            assertThat(event.at("/progress/message").asText()).isEqualTo("resizing 3 of 5");
        });
    }

    @Test
    void a_tombstone_is_nobodys_news() {
        JsonNode response = answer(notifier, lambda.event("notifier-tombstone-insert.json"));

        assertThat(response.get("batchItemFailures")).isEmpty();
        assertThat(lambda.connections.posts()).isEmpty();
    }

    @Test
    void it_was_primed_before_the_snapshot_and_fetched_credentials_only_after_the_restore() {
        answer(notifier, lambda.event("notifier-tombstone-insert.json"));

        SnapStart.assertPrimedWithoutCredentials(notifier, "NotifierFunction");
    }

    private List<JsonNode> posted() {
        return lambda.connections.posts().stream().filter(post -> post.connectionId().equals(BROWSER))
                .map(post -> Json.parse(post.data())).toList();
    }
}
