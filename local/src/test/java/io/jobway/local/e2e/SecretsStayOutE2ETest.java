package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An API key, webhook signing secrets and a hook source's secrets go through every path that handles them: created,
 * rotated, used to sign webhooks and http job calls, to verify an inbound event, and refused when forged or
 * wrong. None of them appears in a log line of the whole run, nor in any answer after the one that created it.
 */
class SecretsStayOutE2ETest {
    private static final LocalJobway jobway = LocalJobway.shared();

    @Test
    void no_key_or_secret_is_logged_or_shown_again_after_it_was_created() throws Exception {
        E2eTarget.requireLocalRuntime("the log lines are this JVM's output, and receivers run on this machine");
        String key = "jw_secrets1_" + "keepmeoutofthelogs0000001";
        jobway.registerKey(key, "tenant-secrets");
        List<String> secrets = new ArrayList<>(List.of(key, key.substring(key.lastIndexOf('_') + 1)));
        List<String> answers = new ArrayList<>();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(new Tee(original, captured), true, StandardCharsets.UTF_8));
        try (WebhookReceiver receiver = new WebhookReceiver(1)) {
            secrets.add(created(jobway.post("/v1/webhook-secrets", key, null)));
            secrets.add(created(jobway.post("/v1/webhook-secrets", key, null))); // rotated: both sign for 24 h
            String hookSecret = "whsec_hook_" + System.nanoTime();
            String rotatedHookSecret = "whsec_hook_rotated_" + System.nanoTime();
            secrets.addAll(List.of(hookSecret, rotatedHookSecret));
            var source = jobway.post("/v1/hook-sources", key, "{\"scheme\":\"stripe\",\"secret\":\"" + hookSecret
                    + "\",\"jobType\":\"echo\"}");
            answers.add(source.body());
            String sourceId = source.json().get("sourceId").asText();
            answers.add(jobway.post("/v1/hook-sources/" + sourceId + "/rotate", key,
                    "{\"secret\":\"" + rotatedHookSecret + "\"}").body());

            String callback = submit(key, "{\"type\":\"echo\",\"callbackUrl\":\"" + receiver.url() + "\"}");
            String http = submit(key, "{\"type\":\"http\",\"payload\":{\"url\":\"" + receiver.url() + "\"},"
                    + "\"maxAttempts\":3}");
            String event = "{\"id\":\"evt_secret_" + System.nanoTime() + "\"}";
            long now = Instant.now().getEpochSecond();
            answers.add(jobway.post("/v1/hooks/" + sourceId, null, event,
                    Map.of("Stripe-Signature", StripeSignature.of(now, event, rotatedHookSecret))).body());
            answers.add(jobway.post("/v1/hooks/" + sourceId, null, event,
                    Map.of("Stripe-Signature", StripeSignature.of(now, event, "whsec_forged"))).body());
            answers.add(jobway.get("/v1/jobs", key.substring(0, key.length() - 1) + "X").body()); // a wrong key
            answers.add(jobway.post("/v1/jobs", key, "{\"type\":\"echo\",\"callbackUrl\":\"ftp://x\"}").body());

            awaitSucceeded(key, callback);
            awaitSucceeded(key, http);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (receiver.requests().stream().filter(r -> r.answeredWith() == 200).count() < 2
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(receiver.requests()).as("signed calls reached the receiver").hasSizeGreaterThanOrEqualTo(3);
            for (String path : List.of("/v1/webhook-secrets", "/v1/hook-sources", "/v1/jobs?limit=100",
                    "/v1/jobs/" + callback, "/v1/jobs/" + http, "/v1/jobs/" + callback + "/deliveries")) {
                answers.add(jobway.get(path, key).body());
            }
        } finally {
            System.setOut(original);
        }

        String logs = captured.toString(StandardCharsets.UTF_8);
        assertThat(logs).as("the run logged").contains("webhook.attempt").contains("job.succeeded");
        for (String secret : secrets) {
            assertThat(logs).as("the log lines").doesNotContain(secret);
            assertThat(answers).as("the answers after creation").noneMatch(answer -> answer.contains(secret));
        }
    }

    private static void awaitSucceeded(String key, String jobId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String status = "";
        while (!status.equals("succeeded") && System.nanoTime() < deadline) {
            status = jobway.get("/v1/jobs/" + jobId, key).json().path("status").asText();
            Thread.sleep(100);
        }
        assertThat(status).as("job " + jobId).isEqualTo("succeeded");
    }

    /** The secret a 201 showed, once. */
    private static String created(LocalJobway.Response response) {
        assertThat(response.status()).isEqualTo(201);
        return response.json().get("secret").asText();
    }

    private static String submit(String key, String body) {
        LocalJobway.Response response = jobway.post("/v1/jobs", key, body);
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        return response.json().get("jobId").asText();
    }

    /** Writes to both: the test output keeps its lines while the test reads them. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public synchronized void write(int b) throws java.io.IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws java.io.IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }
    }
}
