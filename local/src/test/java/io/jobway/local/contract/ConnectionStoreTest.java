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
        connections.subscribe("c-job", "acme", "job-1", now);
        connections.subscribe("c-all", "acme", null, now);
        connections.subscribe("c-other-tenant", "globex", null, now);
        connections.subscribe("c-other-tenant", "globex", "job-1", now);

        assertThat(connections.subscribersOf("acme", "job-1")).containsExactly("c-job");
        assertThat(connections.subscribersOf("acme", null)).containsExactly("c-all");
        assertThat(connections.subscribersOf("acme", "job-2")).isEmpty();
        assertThat(connections.subscribersOf("globex", null)).containsExactly("c-other-tenant");
        assertThat(connections.tenantOf("c-job")).contains("acme");
    }

    @Test
    void a_disconnected_connection_is_no_subscriber_anymore() {
        Instant now = Instant.now();
        connections.connect("c-gone", "initech", now);
        connections.subscribe("c-gone", "initech", "job-9", now);
        connections.subscribe("c-gone", "initech", null, now);

        connections.disconnect("c-gone");

        assertThat(connections.subscribersOf("initech", "job-9")).isEmpty();
        assertThat(connections.subscribersOf("initech", null)).isEmpty();
        assertThat(connections.tenantOf("c-gone")).isEmpty();
    }
}
