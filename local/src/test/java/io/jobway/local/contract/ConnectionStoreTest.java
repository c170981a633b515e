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
    void subscribers_of_a_job_are_its_own_and_its_tenants_connections_only() {
        Instant now = Instant.now();
        connections.connect("c-job", "acme", now);
        connections.connect("c-all", "acme", now);
        connections.connect("c-other-tenant", "globex", now);
        connections.subscribe("c-job", "acme", "job-1", now);
        connections.subscribe("c-all", "acme", null, now);
        connections.subscribe("c-other-tenant", "globex", null, now);
        connections.subscribe("c-other-tenant", "globex", "job-1", now);

        assertThat(connections.subscribers("acme", "job-1")).containsExactlyInAnyOrder("c-job", "c-all");
        assertThat(connections.subscribers("acme", "job-2")).containsExactly("c-all");
        assertThat(connections.tenantOf("c-job")).contains("acme");
    }

    @Test
    void a_disconnected_connection_is_no_subscriber_anymore() {
        Instant now = Instant.now();
        connections.connect("c-gone", "initech", now);
        connections.subscribe("c-gone", "initech", "job-9", now);
        connections.subscribe("c-gone", "initech", null, now);

        connections.disconnect("c-gone");

        assertThat(connections.subscribers("initech", "job-9")).isEmpty();
        assertThat(connections.tenantOf("c-gone")).isEmpty();
    }
}
