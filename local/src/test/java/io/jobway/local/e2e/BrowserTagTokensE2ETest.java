package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every job of user 42's campaign is tagged {@code user:42}, and the app's backend gives that user's page one
 * browser token for the tag: the page lists and reads those jobs and follows them over WebSocket (jobs tagged after
 * the token included), and reads nothing else, of its tenant or another's.
 */
class BrowserTagTokensE2ETest {
    private static final String TAG = "user:42";
    private final LocalJobway jobway = LocalJobway.shared();

    private String tokenForTag(String key, String tag, int seconds) {
        LocalJobway.Response response = jobway.post("/v1/tokens", key,
                "{\"tag\":\"" + tag + "\",\"expiresInSeconds\":" + seconds + "}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        JsonNode body = response.json();
        assertThat(body.get("tag").asText()).isEqualTo(tag);
        assertThat(body.has("jobIds")).isFalse();
        assertThat(Instant.parse(body.get("expiresAt").asText()))
                .isBetween(Instant.now().plusSeconds(seconds - 30), Instant.now().plusSeconds(seconds + 1));
        return body.get("token").asText();
    }

    @Test
    void a_tag_token_reads_and_lists_the_tagged_jobs_and_nothing_else() {
        String tagged = jobway.submit("{\"type\":\"echo\",\"payload\":{\"n\":1},\"tags\":[\"campaign:7\",\"" + TAG
                + "\"]}");
        String untagged = jobway.submit("{\"type\":\"echo\",\"payload\":{\"n\":2}}");
        String otherTag = jobway.submit("{\"type\":\"echo\",\"payload\":{\"n\":3},\"tags\":[\"user:43\"]}");
        String token = tokenForTag(LocalJobway.KEY_A, TAG, 600);

        LocalJobway.Response read = jobway.get("/v1/jobs/" + tagged, token);
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        assertThat(read.json().get("tags")).hasSize(2);
        for (String other : List.of(untagged, otherTag)) {
            LocalJobway.Response missing = jobway.get("/v1/jobs/" + other, token);
            assertThat(missing.status()).as(missing.body()).isEqualTo(404);
        }

        LocalJobway.Response listed = jobway.get("/v1/jobs?tag=" + TAG + "&limit=100", token);
        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        listed.json().get("items").forEach(item -> {
            ids.add(item.get("jobId").asText());
            assertThat(item.get("tags").toString()).contains("\"" + TAG + "\"");
        });
        assertThat(ids).contains(tagged).doesNotContain(untagged, otherTag);

        List<String> wrong = new ArrayList<>();
        Map<String, LocalJobway.Response> refused = new LinkedHashMap<>();
        refused.put("GET the job list", jobway.get("/v1/jobs", token));
        refused.put("GET the list of another tag", jobway.get("/v1/jobs?tag=user:43", token));
        refused.put("GET the list by type", jobway.get("/v1/jobs?type=echo", token));
        refused.put("GET its job's deliveries", jobway.get("/v1/jobs/" + tagged + "/deliveries", token));
        refused.put("cancel its job", jobway.post("/v1/jobs/" + tagged + "/cancel", token, "{}"));
        refused.put("submit a tagged job", jobway.post("/v1/jobs", token,
                "{\"type\":\"echo\",\"tags\":[\"" + TAG + "\"]}"));
        refused.put("mint a token", jobway.post("/v1/tokens", token, "{\"tag\":\"" + TAG + "\"}"));
        refused.put("list keys", jobway.get("/v1/keys", token));
        refused.forEach((what, response) -> {
            if (response.status() != 403 || !response.body().contains("browser token")) {
                wrong.add(what + ": " + response.status() + " " + response.body());
            }
        });
        assertThat(wrong).as("what a tag's browser token could do besides reading its jobs").isEmpty();
    }

    @Test
    void another_tenants_jobs_with_the_same_tag_are_not_visible_to_either_tenants_token() {
        String ofA = jobway.submit("{\"type\":\"echo\",\"tags\":[\"" + TAG + "\"]}");
        LocalJobway.Response submitted = jobway.post("/v1/jobs", LocalJobway.KEY_B,
                "{\"type\":\"echo\",\"tags\":[\"" + TAG + "\"]}");
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        String ofB = submitted.json().get("jobId").asText();
        String tokenOfA = tokenForTag(LocalJobway.KEY_A, TAG, 600);
        String tokenOfB = tokenForTag(LocalJobway.KEY_B, TAG, 600);

        assertThat(jobway.get("/v1/jobs/" + ofB, tokenOfA).status()).isEqualTo(404);
        assertThat(jobway.get("/v1/jobs/" + ofA, tokenOfB).status()).isEqualTo(404);
        assertThat(jobway.get("/v1/jobs/" + ofB, tokenOfB).status()).isEqualTo(200);
        assertThat(jobway.get("/v1/jobs?tag=" + TAG + "&limit=100", tokenOfA).json().get("items")
                .findValuesAsText("jobId")).contains(ofA).doesNotContain(ofB);
        assertThat(jobway.get("/v1/jobs?tag=" + TAG + "&limit=100", LocalJobway.KEY_B).json().get("items")
                .findValuesAsText("jobId")).contains(ofB).doesNotContain(ofA);
    }

    @Test
    void a_token_asks_for_exactly_one_of_job_ids_and_a_tag() {
        String mine = jobway.submit("{\"type\":\"echo\"}");
        Map<String, String> bad = Map.of(
                "{}", "jobIds",
                "{\"jobIds\":[\"" + mine + "\"],\"tag\":\"" + TAG + "\"}", "tag",
                "{\"tag\":\"user 42\"}", "tag",
                "{\"tag\":\"" + TAG + "\",\"expiresInSeconds\":3601}", "expiresInSeconds");
        bad.forEach((body, field) -> {
            LocalJobway.Response response = jobway.post("/v1/tokens", LocalJobway.KEY_A, body);
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.json().get("errors").get(0).get("field").asText()).as(body).isEqualTo(field);
        });
    }

    @Test
    void over_websocket_a_tag_token_hears_its_tags_jobs_and_not_an_untagged_ones() throws Exception {
        try (Browser browser = Browser.connect(jobway, tokenForTag(LocalJobway.KEY_A, TAG, 600))) {
            browser.send("{\"action\":\"subscribe\",\"tenant\":true}");
            assertThat(browser.answer(Duration.ofSeconds(5)).get("type").asText()).isEqualTo("error");
            browser.send("{\"action\":\"subscribe\",\"tag\":\"user:43\"}");
            JsonNode otherTag = browser.answer(Duration.ofSeconds(5));
            assertThat(otherTag.get("type").asText()).isEqualTo("error");
            assertThat(otherTag.get("message").asText()).contains(TAG);
            browser.send("{\"action\":\"subscribe\",\"tag\":\"" + TAG + "\"}");
            JsonNode ack = browser.awaitSubscribed(Duration.ofSeconds(5));
            assertThat(ack.get("tag").asText()).isEqualTo(TAG);

            // tagged after the token was minted: the tag, not a list of ids, is what the page follows
            String untagged = jobway.submit("{\"type\":\"echo\",\"payload\":{\"untagged\":true}}");
            String ofB = jobway.post("/v1/jobs", LocalJobway.KEY_B, "{\"type\":\"echo\",\"tags\":[\"" + TAG + "\"]}")
                    .json().get("jobId").asText();
            String tagged = jobway.submit("{\"type\":\"sleep\",\"payload\":{\"ms\":300},\"tags\":[\"" + TAG + "\"]}");

            assertThat(browser.awaitJobEvent(tagged, "succeeded", Duration.ofSeconds(20))).isTrue();
            jobway.awaitStatus(untagged, "succeeded", Duration.ofSeconds(20));
            LocalJobway.pause(Duration.ofSeconds(1));
            List<String> heard = new ArrayList<>();
            for (JsonNode message : browser.all()) {
                if (message.path("type").asText().equals("job")) {
                    heard.add(message.get("jobId").asText());
                    assertThat(message.get("tags").toString()).as("an event of the tag's jobs only")
                            .contains("\"" + TAG + "\"");
                }
            }
            assertThat(heard).contains(tagged).doesNotContain(untagged, ofB);
        }
    }

    @Test
    void a_tagged_job_followed_by_id_and_by_tag_is_heard_once_per_change() throws Exception {
        String tagged = jobway.submit("{\"type\":\"echo\",\"delaySeconds\":2,\"tags\":[\"" + TAG + "\"]}");
        try (Browser browser = Browser.connect(jobway, LocalJobway.KEY_A)) {
            browser.send("{\"action\":\"subscribe\",\"jobId\":\"" + tagged + "\"}");
            browser.awaitSubscribed(Duration.ofSeconds(5));
            browser.send("{\"action\":\"subscribe\",\"tag\":\"" + TAG + "\"}");
            browser.awaitSubscribed(Duration.ofSeconds(5));

            assertThat(browser.awaitJobEvent(tagged, "succeeded", Duration.ofSeconds(20))).isTrue();
            LocalJobway.pause(Duration.ofSeconds(1));
            List<String> statuses = new ArrayList<>();
            browser.all().stream()
                    .filter(m -> m.path("type").asText().equals("job") && m.path("jobId").asText().equals(tagged))
                    .forEach(m -> statuses.add(m.get("status").asText()));
            assertThat(statuses).as("each change once, not once per subscription").doesNotHaveDuplicates()
                    .contains("running", "succeeded");
        }
    }

    @Test
    void an_edited_tag_token_gets_nothing_and_an_expired_one_hears_and_reads_nothing() throws Exception {
        String tagged = jobway.submit("{\"type\":\"echo\",\"delaySeconds\":4,\"tags\":[\"" + TAG + "\"]}");
        String token = tokenForTag(LocalJobway.KEY_A, TAG, 2);
        String claims = new String(Base64.getUrlDecoder().decode(token.substring(4, token.indexOf('.'))),
                StandardCharsets.UTF_8);
        String edited = "jwb_" + Base64.getUrlEncoder().withoutPadding().encodeToString(
                claims.replace(TAG, "user:43").getBytes(StandardCharsets.UTF_8)) + token.substring(token.indexOf('.'));

        LocalJobway.Response forged = jobway.get("/v1/jobs?tag=user:43", edited);
        assertThat(forged.status()).isEqualTo(403);
        URI forgedUrl = URI.create(jobway.webSocketUrl() + "?token=" + edited);
        assertThat(catchThrowable(() -> HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(forgedUrl, new Browser()).join())).hasCauseInstanceOf(WebSocketHandshakeException.class);

        try (Browser browser = Browser.connect(jobway, token)) {
            browser.send("{\"action\":\"subscribe\",\"tag\":\"" + TAG + "\"}");
            assertThat(browser.awaitSubscribed(Duration.ofSeconds(5)).get("tag").asText()).isEqualTo(TAG);
            assertThat(jobway.get("/v1/jobs/" + tagged, token).status()).as("while valid").isEqualTo(200);

            jobway.awaitStatus(tagged, "succeeded", Duration.ofSeconds(30)); // its changes all come after 2 s
            assertThat(browser.awaitJobEvent(tagged, "succeeded", Duration.ofSeconds(2))).as("after the token")
                    .isFalse();
            browser.send("{\"action\":\"subscribe\",\"tag\":\"" + TAG + "\"}");
            JsonNode refused = browser.answer(Duration.ofSeconds(5));
            assertThat(refused.get("type").asText()).isEqualTo("error");
            assertThat(refused.get("message").asText()).contains("expired");
        }
        TimeUnit.MILLISECONDS.sleep(100);
        LocalJobway.Response expired = jobway.get("/v1/jobs?tag=" + TAG, token);
        assertThat(expired.status()).as(expired.body()).isEqualTo(401);
        assertThat(expired.body()).doesNotContain(tagged);
    }
}
