package io.jobway.local.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobway.local.emulator.Emulators;
import io.jobway.notify.ConnectionStore;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** WebSocket connections and subscriptions on DynamoDB Local, in the ConnectionsTable of template.yaml. */
class ConnectionStoreTest {
    private static Emulators emulators;
    private static ConnectionStore connections;

    @BeforeAll
    static void start() {
        emulators = Emulators.inMemory();
        connections = new ConnectionStore(emulators.dynamo,
                emulators.createTemplateResources().table("ConnectionsTable").name());
    }

    @AfterAll
    static void stop() {
        emulators.close();
    }

    @Test
    void subscriptions_are_kept_per_job_and_per_tenant_and_never_cross_tenants() {
        Instant now = Instant.now();
        connections.connect("c-job", "acme", now);
        connections.connect("c-all", "acme", now);
        connections.connect("c-other-tenant", "globex", now);
        connections.subscribe("c-job", new ConnectionStore.Connection("acme", null, null), "job-1", now);
        connections.subscribe("c-all", new ConnectionStore.Connection("acme", null, null), null, now);
        connections.subscribe("c-other-tenant", new ConnectionStore.Connection("globex", null, null), null, now);
        connections.subscribe("c-other-tenant", new ConnectionStore.Connection("globex", null, null), "job-1", now);

        assertThat(connections.subscribersOf("acme", "job-1", now)).containsExactly("c-job");
        assertThat(connections.subscribersOf("acme", null, now)).containsExactly("c-all");
        assertThat(connections.subscribersOf("acme", "job-2", now)).isEmpty();
        assertThat(connections.subscribersOf("globex", null, now)).containsExactly("c-other-tenant");
        assertThat(connections.tenantOf("c-job")).contains("acme");
    }

    @Test
    void a_disconnected_connection_is_no_subscriber_anymore() {
        Instant now = Instant.now();
        connections.connect("c-gone", "initech", now);
        connections.subscribe("c-gone", new ConnectionStore.Connection("initech", null, null), "job-9", now);
        connections.subscribe("c-gone", new ConnectionStore.Connection("initech", null, null), null, now);

        connections.disconnect("c-gone");

        assertThat(connections.subscribersOf("initech", "job-9", now)).isEmpty();
        assertThat(connections.subscribersOf("initech", null, now)).isEmpty();
        assertThat(connections.tenantOf("c-gone")).isEmpty();
    }

    /** A browser token's connection and subscriptions end with the token: the notifier then skips them. */
    @Test
    void a_browser_tokens_subscriptions_are_skipped_once_the_token_has_expired() {
        Instant now = Instant.now();
        Instant until = now.plusSeconds(60);
        connections.connect("c-token", "umbrella", java.util.Set.of("job-7"), until, now);
        ConnectionStore.Connection connection = connections.connection("c-token").orElseThrow();
        connections.subscribe("c-token", connection, "job-7", now);
        connections.connect("c-key", "umbrella", now);
        connections.subscribe("c-key", connections.connection("c-key").orElseThrow(), "job-7", now);

        assertThat(connection.until()).isEqualTo(until.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        assertThat(connection.expired(until.minusMillis(1))).isFalse();
        assertThat(connection.expired(until)).isTrue();
        assertThat(connections.subscribersOf("umbrella", "job-7", until.minusMillis(1)))
                .containsExactlyInAnyOrder("c-token", "c-key");
        assertThat(connections.subscribersOf("umbrella", "job-7", until)).as("the key's connection stays")
                .containsExactly("c-key");
    }

    /** A tag's subscribers, keyed like a job's: the tenant's, apart from the job ids', and ended with the token. */
    @Test
    void tag_subscriptions_are_kept_per_tenant_apart_from_jobs_and_end_with_a_tag_tokens_expiry() {
        Instant now = Instant.now();
        Instant until = now.plusSeconds(60);
        connections.connect("c-tag-token", new ConnectionStore.Connection("hooli", null, "user:42", until), now);
        ConnectionStore.Connection token = connections.connection("c-tag-token").orElseThrow();
        connections.subscribeToTag("c-tag-token", token, "user:42", now);
        connections.connect("c-tag-key", "hooli", now);
        connections.subscribeToTag("c-tag-key", connections.connection("c-tag-key").orElseThrow(), "user:42", now);
        connections.connect("c-tag-globex", "globex-tags", now);
        connections.subscribeToTag("c-tag-globex", connections.connection("c-tag-globex").orElseThrow(), "user:42",
                now);

        assertThat(token.onlyTag()).isEqualTo("user:42");
        assertThat(token.onlyJobs()).isNull();
        assertThat(token.mayFollowTag("user:42")).isTrue();
        assertThat(token.mayFollowTag("user:43")).isFalse();
        assertThat(token.mayFollow("job-1")).isFalse();
        assertThat(token.mayFollow(null)).isFalse();
        assertThat(connections.subscribersOfTag("hooli", "user:42", now))
                .containsExactlyInAnyOrder("c-tag-token", "c-tag-key");
        assertThat(connections.subscribersOfTag("hooli", "user:42", until)).containsExactly("c-tag-key");
        assertThat(connections.subscribersOfTag("hooli", "user:43", now)).isEmpty();
        assertThat(connections.subscribersOf("hooli", "user:42", now)).as("a tag is not a job id").isEmpty();
        assertThat(connections.subscribersOfTag("globex-tags", "user:42", now)).containsExactly("c-tag-globex");

        connections.disconnect("c-tag-token");
        assertThat(connections.subscribersOfTag("hooli", "user:42", now)).containsExactly("c-tag-key");
    }
}
