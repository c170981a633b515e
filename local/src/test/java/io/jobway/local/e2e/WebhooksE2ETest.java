package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The app's backend hears about finished jobs: one signed webhook per finished job, checked with the
 * Standard Webhooks reference library (Python), retried with backoff while the receiver fails.
 */
class WebhooksE2ETest {
    private static final String KEY = "jw_tenantW_" + "webhookswebhookswebhooks";
    private static final LocalJobway jobway = LocalJobway.shared();
    private static String secret;

    @BeforeAll
    static void tenantWithASecret() {
        E2eTarget.requireLocalRuntime("the functions must reach a server on this machine");
        jobway.registerKey(KEY, "tenant-w");
        LocalJobway.Response created = jobway.post("/v1/webhook-secrets", KEY, null);
        assertThat(created.status()).isEqualTo(201);
        secret = created.json().get("secret").asText();
        assertThat(secret).startsWith("whsec_");
    }

    private String submit(String callbackUrl, String type, String payload) {
        LocalJobway.Response response = jobway.post("/v1/jobs", KEY, "{\"type\":\"" + type + "\",\"payload\":" + payload
                + ",\"maxAttempts\":1,\"callbackUrl\":\"" + callbackUrl + "\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        return response.json().get("jobId").asText();
    }

    @Test
    void a_finished_job_is_delivered_once_signed_so_that_the_reference_library_accepts_it() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(0)) {
            String id = submit(receiver.url(), "echo", "{\"order\":7}");

            await(() -> receiver.requests().size() == 1);
            Thread.sleep(1_500); // a second delivery would have come by now

            assertThat(receiver.requests()).hasSize(1);
            WebhookReceiver.Request request = receiver.requests().get(0);
            JsonNode body = Json.parse(request.body());
            assertThat(body.get("type").asText()).isEqualTo("job.succeeded");
            assertThat(body.get("data").get("jobId").asText()).isEqualTo(id);
            assertThat(body.get("data").get("result").get("order").asInt()).isEqualTo(7);
            assertThat(verifiedByTheReferenceLibrary(secret, request)).isTrue();
            assertThat(verifiedByTheReferenceLibrary(otherSecret(), request)).as("a wrong secret").isFalse();
            JsonNode deliveries = jobway.get("/v1/jobs/" + id + "/deliveries", KEY).json().get("items");
            assertThat(deliveries).singleElement().satisfies(d -> {
                assertThat(d.get("statusCode").asInt()).isEqualTo(200);
                assertThat(d.get("delivered").asBoolean()).isTrue();
            });
        }
    }

    @Test
    void a_receiver_that_fails_three_times_gets_the_webhook_on_the_fourth_attempt_and_each_attempt_is_recorded()
            throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(3)) {
            String id = submit(receiver.url(), "fail", "{\"times\":-1}");

            await(() -> receiver.requests().size() == 4);

            assertThat(receiver.requests()).extracting(WebhookReceiver.Request::answeredWith)
                    .containsExactly(500, 500, 500, 200);
            assertThat(receiver.requests()).extracting(r -> r.headers().get("webhook-id")).containsOnly(
                    receiver.requests().get(0).headers().get("webhook-id"));
            assertThat(Json.parse(receiver.requests().get(3).body()).get("type").asText()).isEqualTo("job.dead");
            await(() -> jobway.get("/v1/jobs/" + id + "/deliveries", KEY).json().get("items").size() == 4);
            JsonNode deliveries = jobway.get("/v1/jobs/" + id + "/deliveries", KEY).json().get("items");
            assertThat(deliveries.findValuesAsText("delivered")).containsExactly("false", "false", "false", "true");
            assertThat(deliveries.get(0).get("statusCode").asInt()).isEqualTo(500);
        }
    }

    @Test
    void a_receiver_that_never_succeeds_gets_every_attempt_then_the_webhook_is_in_the_webhook_dead_letter_queue()
            throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(Integer.MAX_VALUE)) {
            String id = submit(receiver.url(), "echo", "{}");

            jobway.webhookDeadLetterOf(id, java.time.Duration.ofSeconds(60)); // WebhookMaxAttempts=5, 1 s apart

            assertThat(receiver.requests()).extracting(WebhookReceiver.Request::answeredWith)
                    .containsExactly(500, 500, 500, 500, 500);
            JsonNode deliveries = jobway.get("/v1/jobs/" + id + "/deliveries", KEY).json().get("items");
            assertThat(deliveries.findValuesAsText("delivered")).containsExactly("false", "false", "false", "false",
                    "false");
            Thread.sleep(1_500); // a sixth attempt would have come by now
            assertThat(receiver.requests()).hasSize(5);
        }
    }

    @Test
    void after_a_rotation_both_secrets_verify_the_same_webhook() throws Exception {
        LocalJobway.Response rotated = jobway.post("/v1/webhook-secrets", KEY, null);
        String newer = rotated.json().get("secret").asText();
        try (WebhookReceiver receiver = new WebhookReceiver(0)) {
            submit(receiver.url(), "echo", "{}");

            await(() -> receiver.requests().size() == 1);

            WebhookReceiver.Request request = receiver.requests().get(0);
            assertThat(verifiedByTheReferenceLibrary(secret, request)).isTrue();
            assertThat(verifiedByTheReferenceLibrary(newer, request)).isTrue();
            secret = newer;
        }
        assertThat(jobway.get("/v1/webhook-secrets", KEY).json().get("items")).hasSize(2);
    }

    @Test
    void a_job_without_a_callback_url_sends_nothing_and_has_no_deliveries() throws Exception {
        LocalJobway.Response response = jobway.post("/v1/jobs", KEY, "{\"type\":\"echo\",\"payload\":{}}");
        String id = response.json().get("jobId").asText();
        await(() -> jobway.get("/v1/jobs/" + id, KEY).json().get("status").asText().equals("succeeded"));
        Thread.sleep(1_000); // past the notifier's poll: a webhook would have been queued by now

        assertThat(jobway.get("/v1/jobs/" + id + "/deliveries", KEY).json().get("items")).isEmpty();
        assertThat(jobway.get("/v1/jobs/" + id + "/deliveries", LocalJobway.KEY_B).status()).isEqualTo(404);
    }

    private static String otherSecret() {
        return "whsec_" + java.util.Base64.getEncoder().encodeToString("not the tenant's secret at all!!".getBytes());
    }

    /** Runs the Standard Webhooks Python library on the request as received. */
    private static boolean verifiedByTheReferenceLibrary(String secret, WebhookReceiver.Request request)
            throws IOException, InterruptedException {
        Path python = Path.of("..", ".venv", "bin", "python").toAbsolutePath().normalize();
        if (!Files.isExecutable(python)) {
            throw new AssertionError(python + " is missing: run the tests with ./jobway test, which installs it");
        }
        Path script = Path.of("src", "test", "resources", "verify_standard_webhook.py").toAbsolutePath();
        Map<String, String> headers = Map.of("webhook-id", request.headers().get("webhook-id"),
                "webhook-timestamp", request.headers().get("webhook-timestamp"),
                "webhook-signature", request.headers().get("webhook-signature"));
        Process process = new ProcessBuilder(List.of(python.toString(), script.toString(), secret, Json.write(headers)))
                .redirectErrorStream(true).start();
        process.getOutputStream().write(request.body().getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the verifier did not finish");
        }
        return process.exitValue() == 0 && output.contains("verified");
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        Instant end = Instant.now().plusSeconds(40);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("not within 40 s");
            }
            Thread.sleep(100);
        }
    }
}
