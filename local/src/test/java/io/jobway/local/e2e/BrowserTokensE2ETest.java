package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A web page holding a browser token instead of the tenant's API key: its backend asks for a token naming one job,
 * and the page reads that job and follows it over WebSocket, and can do nothing else with the token.
 */
class BrowserTokensE2ETest {
    private final LocalJobway jobway = LocalJobway.shared();

    private String tokenFor(String jobId, int seconds) {
        LocalJobway.Response response = jobway.post("/v1/tokens", LocalJobway.KEY_A,
                "{\"jobIds\":[\"" + jobId + "\"],\"expiresInSeconds\":" + seconds + "}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        JsonNode body = response.json();
        assertThat(body.get("jobIds").get(0).asText()).isEqualTo(jobId);
        assertThat(Instant.parse(body.get("expiresAt").asText()))
                .isBetween(Instant.now().plusSeconds(seconds - 30), Instant.now().plusSeconds(seconds + 1));
        return body.get("token").asText();
    }

    @Test
    void a_token_reads_its_job_and_nothing_else() {
        String mine = jobway.submit("{\"type\":\"echo\",\"payload\":{\"n\":1}}");
        String other = jobway.submit("{\"type\":\"echo\",\"payload\":{\"n\":2}}");
        String token = tokenFor(mine, 600);

        LocalJobway.Response read = jobway.get("/v1/jobs/" + mine, token);
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        assertThat(read.json().get("jobId").asText()).isEqualTo(mine);

        List<String> wrong = new ArrayList<>();
        Map<String, LocalJobway.Response> refused = Map.of(
                "GET another job", jobway.get("/v1/jobs/" + other, token),
                "GET the job list", jobway.get("/v1/jobs", token),
                "GET its job's deliveries", jobway.get("/v1/jobs/" + mine + "/deliveries", token),
                "cancel its job", jobway.post("/v1/jobs/" + mine + "/cancel", token, "{}"),
                "submit a job", jobway.post("/v1/jobs", token, "{\"type\":\"echo\"}"),
                "mint a token", jobway.post("/v1/tokens", token, "{\"jobIds\":[\"" + other + "\"]}"),
                "list keys", jobway.get("/v1/keys", token));
        refused.forEach((what, response) -> {
            if (response.status() != 403 || !response.body().contains("browser token")) {
                wrong.add(what + ": " + response.status() + " " + response.body());
            }
        });
        assertThat(wrong).as("what a browser token could do besides reading its job").isEmpty();
    }

    @Test
    void an_edited_or_made_up_token_is_refused_and_an_expired_one_reads_nothing() throws Exception {
        String mine = jobway.submit("{\"type\":\"echo\"}");
        String token = tokenFor(mine, 2);
        int dot = token.indexOf('.');
        String edited = token.substring(0, 6) + (token.charAt(6) == 'A' ? 'B' : 'A') + token.substring(7);

        for (String bad : List.of(edited, token.substring(0, dot) + ".AAAA", "jwb_made.up")) {
            LocalJobway.Response response = jobway.get("/v1/jobs/" + mine, bad);
            assertThat(response.status()).as(bad).isEqualTo(403);
            assertThat(response.body()).doesNotContain(mine);
        }
        assertThat(jobway.get("/v1/jobs/" + mine, token).status()).as("before it expires").isEqualTo(200);
        TimeUnit.MILLISECONDS.sleep(2_100);
        // the authorizer's allow is cached for minutes, as API Gateway caches it: the API checks the expiry again
        LocalJobway.Response expired = jobway.get("/v1/jobs/" + mine, token);
        assertThat(expired.status()).as(expired.body()).isEqualTo(401);
        assertThat(expired.body()).contains("expired").doesNotContain("\"status\":\"");
    }

    @Test
    void a_token_asks_for_one_to_a_hundred_job_ids_and_an_hour_at_most() {
        String mine = jobway.submit("{\"type\":\"echo\"}");
        Map<String, String> bad = Map.of(
                "{\"jobIds\":[]}", "jobIds",
                "{\"jobIds\":[\"not-a-job\"]}", "jobIds[0]",
                "{\"jobIds\":[\"" + mine + "\"],\"expiresInSeconds\":3601}", "expiresInSeconds",
                "{\"jobIds\":[\"" + mine + "\"],\"expiresInSeconds\":0}", "expiresInSeconds",
                "{\"jobIds\":[\"" + mine + "\"],\"tenant\":\"tenant-b\"}", "tenant");
        bad.forEach((body, field) -> {
            LocalJobway.Response response = jobway.post("/v1/tokens", LocalJobway.KEY_A, body);
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.json().get("errors").get(0).get("field").asText()).as(body).isEqualTo(field);
        });
    }

    @Test
    void over_websocket_a_token_follows_its_job_and_may_not_subscribe_to_others_or_the_tenant() throws Exception {
        String mine = jobway.submit("{\"type\":\"sleep\",\"payload\":{\"ms\":1500},\"delaySeconds\":1}");
        String other = jobway.submit("{\"type\":\"sleep\",\"payload\":{\"ms\":500}}");
        try (Browser browser = Browser.connect(jobway, tokenFor(mine, 600))) {
            browser.send("{\"action\":\"subscribe\",\"tenant\":true}");
            assertThat(browser.answer(Duration.ofSeconds(5)).get("type").asText()).isEqualTo("error");
            browser.send("{\"action\":\"subscribe\",\"jobId\":\"" + other + "\"}");
            JsonNode refused = browser.answer(Duration.ofSeconds(5));
            assertThat(refused.get("type").asText()).isEqualTo("error");
            assertThat(refused.get("message").asText()).contains(other);

            browser.send("{\"action\":\"subscribe\",\"jobId\":\"" + mine + "\"}");
            JsonNode event;
            do {
                event = browser.next(Duration.ofSeconds(20));
                assertThat(event.path("jobId").asText(mine)).as("only its job's events").isEqualTo(mine);
            } while (!event.path("status").asText().equals("succeeded"));
        }
    }

    @Test
    void a_websocket_connect_with_a_bad_or_expired_token_is_refused() throws Exception {
        String mine = jobway.submit("{\"type\":\"echo\"}");
        String token = tokenFor(mine, 2);
        try (Browser control = Browser.connect(jobway, token)) {
            control.send("{\"action\":\"subscribe\",\"jobId\":\"" + mine + "\"}");
            assertThat(control.answer(Duration.ofSeconds(5)).get("type").asText()).as("while valid").isEqualTo("subscribed");
        }
        TimeUnit.MILLISECONDS.sleep(2_100);
        // the local host refuses the handshake (as a 404: its WebSocket library's answer); API Gateway with the 401
        for (String bad : List.of(token, "jwb_made.up")) {
            URI url = URI.create(jobway.webSocketUrl() + "?token=" + bad);
            assertThat(catchThrowable(() -> HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(url, new Browser()).join())).as(bad).hasCauseInstanceOf(WebSocketHandshakeException.class);
        }
    }

    /**
     * A token's connection outlives the token (API Gateway keeps a WebSocket up to 2 hours): past the token's
     * expiry it hears none of its job's changes, and may not subscribe again.
     */
    @Test
    void a_tokens_connection_hears_nothing_once_the_token_has_expired() throws Exception {
        String mine = jobway.submit("{\"type\":\"echo\",\"payload\":{},\"delaySeconds\":4}");
        try (Browser browser = Browser.connect(jobway, tokenFor(mine, 2))) {
            browser.send("{\"action\":\"subscribe\",\"jobId\":\"" + mine + "\"}");
            assertThat(browser.awaitSubscribed(Duration.ofSeconds(5)).get("jobId").asText()).isEqualTo(mine);

            jobway.awaitStatus(mine, "succeeded", Duration.ofSeconds(30)); // its changes all come after 2 s
            assertThat(browser.awaitJobEvent(mine, "succeeded", Duration.ofSeconds(2))).as("after the token")
                    .isFalse();
            browser.send("{\"action\":\"subscribe\",\"jobId\":\"" + mine + "\"}");
            JsonNode refused = browser.answer(Duration.ofSeconds(5));
            assertThat(refused.get("type").asText()).isEqualTo("error");
            assertThat(refused.get("message").asText()).contains("expired");
        }
    }
}
