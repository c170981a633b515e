package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.json.Json;
import io.jobway.notify.DeliveryLog;
import io.jobway.notify.WebhookSecretStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The webhook function fed the sample SQS batch of events/, read with the Lambda runtime's serializer. */
class WebhookEventFilesTest {
    private static final String JOB = "019ca944-3328-76ba-a4a4-f7a3c88b2875";
    private final LocalJobway jobway = LocalJobway.shared();

    @Test
    void an_unreachable_receiver_is_recorded_and_the_message_is_handed_back_for_a_retry() throws IOException {
        new WebhookSecretStore(jobway.dynamo(), jobway.tableName("WebhookSecretsTable"))
                .rotate("tenant-sample", Instant.now());
        String batch = Files.readString(Path.of("..", "events", "webhook-sqs-batch.json"));

        JsonNode response = Json.parse(jobway.function("WebhookFunction").invokeForJson(batch));

        assertThat(response).isEqualTo(Json.parse(
                "{\"batchItemFailures\":[{\"itemIdentifier\":\"7b2f0c4e-1a3d-4c5e-9f60-8a1b2c3d4e5f\"}]}"));
        var attempts = new DeliveryLog(jobway.dynamo(),
                jobway.tableName("DeliveriesTable")).of(JOB);
        assertThat(attempts).singleElement().satisfies(a -> {
            assertThat(a.delivered()).isFalse();
            assertThat(a.statusCode()).isZero();
            assertThat(a.error()).isNotBlank();
        });
    }
}
