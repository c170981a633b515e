package io.jobway.lambda;

import static io.jobway.lambda.Lambda.answer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.notify.DeliveryLog;
import io.jobway.notify.WebhookSecretStore;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * WebhookFunction's package under Lambda's runtime (SnapStart), fed events/webhook-sqs-batch.json. With the
 * template's defaults (AllowPrivateCallbackUrls false, as deployed) its http://127.0.0.1 callback is refused:
 * the attempt is recorded, the message goes to the webhook dead-letter queue and is done with.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookPackageTest {
    private static final String JOB = "019ca944-3328-76ba-a4a4-f7a3c88b2875";
    private final Lambda lambda = Lambda.shared();
    private ExecutionEnvironment webhooks;

    @BeforeAll
    void start() {
        webhooks = ExecutionEnvironment.start(lambda.java, lambda.stack.function("WebhookFunction"),
                ExecutionEnvironment.Init.SNAP_START);
    }

    @AfterAll
    void stop() {
        webhooks.close();
    }

    @Test
    void a_callback_to_a_private_address_is_refused_recorded_and_dead_lettered() {
        assertThat(lambda.eventsOf("WebhookFunction")).containsExactly("webhook-sqs-batch.json");
        new WebhookSecretStore(lambda.stack.dynamo(), lambda.tableName("WebhookSecretsTable"))
                .rotate(Lambda.SAMPLE_TENANT, Instant.now());

        JsonNode response = answer(webhooks, lambda.event("webhook-sqs-batch.json"));

        assertThat(response.get("batchItemFailures")).as("done with: nothing to retry").isEmpty();
        assertThat(lambda.messages("WebhookDeadLetterQueue")).anySatisfy(body ->
                assertThat(body).contains("\"jobId\":\"" + JOB + "\"", "http://127.0.0.1:9/hooks/jobway"));
        assertThat(new DeliveryLog(lambda.stack.dynamo(), lambda.tableName("DeliveriesTable")).of(JOB))
                .singleElement().satisfies(attempt -> {
                    assertThat(attempt.delivered()).isFalse();
                    assertThat(attempt.statusCode()).isZero();
                    assertThat(attempt.error()).isEqualTo("callbackUrl must be an https URL");
                });
        SnapStart.assertPrimedWithoutCredentials(webhooks, "WebhookFunction");
    }
}
