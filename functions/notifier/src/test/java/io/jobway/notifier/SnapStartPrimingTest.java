package io.jobway.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobway.aws.Config;
import io.jobway.fixtures.PrimingProbe;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The notifier and the webhook function prime themselves for SnapStart with no AWS endpoint reachable. */
class SnapStartPrimingTest {
    @Test
    void the_notifier_reads_its_sample_change_and_looks_up_subscribers_without_a_connection() {
        try (PrimingProbe probe = new PrimingProbe()) {
            Config config = probe.config(Map.of(Config.CONNECTIONS_TABLE, "connections",
                    Config.WEBSOCKET_ENDPOINT, "https://ws.example.com/live",
                    Config.WEBHOOK_QUEUE_URL, probe.endpointUrl() + "/000000000000/webhooks"));

            new NotifierFunction(config, probe.clients(config)).priming.beforeCheckpoint(null);

            assertThat(probe.operations()).containsExactly("Query");
            assertThat(probe.connections()).isZero();
        }
    }

    @Test
    void the_webhook_function_looks_up_the_secrets_of_its_sample_message_without_a_connection() {
        try (PrimingProbe probe = new PrimingProbe()) {
            Config config = probe.config(Map.of(Config.WEBHOOK_SECRETS_TABLE, "secrets",
                    Config.DELIVERIES_TABLE, "deliveries",
                    Config.WEBHOOK_QUEUE_URL, probe.endpointUrl() + "/000000000000/webhooks",
                    Config.WEBHOOK_DEAD_LETTER_QUEUE_URL, probe.endpointUrl() + "/000000000000/webhooks-dead",
                    Config.WEBHOOK_RETRY_BASE_SECONDS, "30", Config.WEBHOOK_MAX_ATTEMPTS, "12",
                    Config.ALLOW_PRIVATE_CALLBACK_URLS, "false"));

            new WebhookFunction(config, probe.clients(config)).priming.beforeCheckpoint(null);

            assertThat(probe.operations())
                    .as("the secrets' lookup, refused unsent; then the backoff set on the message, as after any throw")
                    .containsExactly("GetItem", "ChangeMessageVisibility");
            assertThat(probe.connections()).isZero();
        }
    }
}
