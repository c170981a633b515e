package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.jobway.json.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code http} jobs: the worker calls the app's endpoint, signed, and retries what is worth retrying. */
class HttpJobsE2ETest {
    private static final String KEY = "jw_tenantH_" + "httpjobshttpjobshttpjobs";
    private static final LocalJobway jobway = LocalJobway.shared();
    private static String secret;
    private HttpServer app;
    private final List<Map<String, String>> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger callCount = new AtomicInteger();

    @BeforeAll
    static void tenantWithASecret() {
        E2eTarget.requireLocalRuntime("the functions must reach a server on this machine");
        jobway.registerKey(KEY, "tenant-h");
        secret = jobway.post("/v1/webhook-secrets", KEY, null).json().get("secret").asText();
    }

    /** The app: answers the n-th call with the n-th status of the script (the last one repeats). */
    private String app(int... statuses) throws IOException {
        app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        app.createContext("/work", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            calls.add(Map.of("body", body, "webhook-id", exchange.getRequestHeaders().getFirst("webhook-id"),
                    "webhook-timestamp", exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                    "webhook-signature", exchange.getRequestHeaders().getFirst("webhook-signature")));
            int n = callCount.getAndIncrement();
            int status = statuses[Math.min(n, statuses.length - 1)];
            byte[] answer = ("{\"handled\":" + n + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("content-type", "application/json");
            if (status == 503 || status == 429) {
                exchange.getResponseHeaders().set("retry-after", "1");
            }
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        app.start();
        return "http://127.0.0.1:" + app.getAddress().getPort() + "/work";
    }

    @AfterEach
    void stopApp() {
        if (app != null) {
            app.stop(0);
        }
    }

    private String submit(String url, int maxAttempts) {
        LocalJobway.Response response = jobway.post("/v1/jobs", KEY, "{\"type\":\"http\",\"maxAttempts\":" + maxAttempts
                + ",\"payload\":{\"url\":\"" + url + "\",\"body\":{\"campaign\":42}}}");
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        return response.json().get("jobId").asText();
    }

    private JsonNode awaitFinished(String id) {
        java.time.Instant end = java.time.Instant.now().plusSeconds(30);
        while (true) {
            JsonNode job = jobway.get("/v1/jobs/" + id, KEY).json();
            if (Set.of("succeeded", "dead").contains(job.get("status").asText())) {
                return job;
            }
            if (java.time.Instant.now().isAfter(end)) {
                throw new AssertionError("job did not finish: " + job);
            }
            LocalJobway.pause(Duration.ofMillis(100));
        }
    }

    @Test
    void a_target_answering_503_then_200_succeeds_on_attempt_2_with_its_answer_as_result() throws Exception {
        String id = submit(app(503, 200), 3);

        JsonNode job = awaitFinished(id);

        assertThat(job.get("status").asText()).isEqualTo("succeeded");
        assertThat(job.get("attempt").asInt()).isEqualTo(2);
        assertThat(job.get("result").get("status").asInt()).isEqualTo(200);
        assertThat(job.get("result").get("body").get("handled").asInt()).isEqualTo(1);
        assertThat(calls).hasSize(2);
        Map<String, String> call = calls.get(1);
        assertThat(Json.parse(call.get("body")).get("campaign").asInt()).isEqualTo(42);
        assertThat(io.jobway.notify.WebhookSigner.matches(call.get("webhook-id"),
                Long.parseLong(call.get("webhook-timestamp")), call.get("body"), call.get("webhook-signature"), secret))
                .as("signed with the tenant's secret").isTrue();
    }

    @Test
    void a_target_answering_429_twice_defers_the_job_without_spending_its_only_attempt() throws Exception {
        String id = submit(app(429, 429, 200), 1);

        JsonNode job = awaitFinished(id);

        assertThat(job.get("status").asText()).isEqualTo("succeeded");
        assertThat(job.get("attempt").asInt()).isEqualTo(1);
        assertThat(job.get("deferredUntil").isNull()).as("cleared once it ran").isTrue();
        assertThat(calls).hasSize(3);
    }

    @Test
    void a_target_answering_404_fails_the_job_at_once_without_spending_the_other_attempts() throws Exception {
        String id = submit(app(404), 3);

        JsonNode job = awaitFinished(id);

        assertThat(job.get("status").asText()).isEqualTo("dead");
        assertThat(job.get("attempt").asInt()).isEqualTo(1);
        assertThat(job.get("error").get("message").asText()).contains("answered 404", "not retried");
        assertThat(calls).hasSize(1);
    }
}
