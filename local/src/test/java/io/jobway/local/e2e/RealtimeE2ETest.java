package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A browser's view: subscribed over the WebSocket API, it sees its jobs change as they change. */
class RealtimeE2ETest {
    private final LocalJobway jobway = LocalJobway.shared();

    private Browser connect(String key) {
        return Browser.connect(jobway, key);
    }

    @Test
    void a_subscribed_browser_sees_queued_running_progress_and_succeeded_in_order() throws Exception {
        try (Browser browser = connect(LocalJobway.KEY_A)) {
            browser.send("{\"action\":\"subscribe\",\"tenant\":true}");
            assertThat(browser.answer(Duration.ofSeconds(5)).get("type").asText()).isEqualTo("subscribed");

            String id = jobway.submit("{\"type\":\"sleep\",\"payload\":{\"ms\":2500}}");

            List<JsonNode> events = new ArrayList<>();
            JsonNode event;
            do {
                event = browser.next(Duration.ofSeconds(20));
                if (event.get("jobId").asText().equals(id)) {
                    events.add(event);
                }
            } while (!event.get("jobId").asText().equals(id) || !event.get("status").asText().equals("succeeded"));

            List<String> statuses = events.stream().map(e -> e.get("status").asText()).distinct().toList();
            assertThat(statuses).containsExactly("queued", "running", "succeeded");
            List<Integer> percents = events.stream().filter(e -> !e.get("progress").isNull())
                    .map(e -> e.get("progress").get("percent").asInt()).toList();
            assertThat(percents).isNotEmpty().isSorted();
            assertThat(percents.get(percents.size() - 1)).isEqualTo(100);
            assertThat(events).allSatisfy(e -> assertThat(e.has("payload")).isFalse());
        }
    }

    @Test
    void a_browser_subscribed_to_one_job_gets_its_events_and_no_other_jobs() throws Exception {
        String other = jobway.submit("{\"type\":\"sleep\",\"payload\":{\"ms\":1500},\"delaySeconds\":1}");
        String mine = jobway.submit("{\"type\":\"sleep\",\"payload\":{\"ms\":1500},\"delaySeconds\":1}");
        try (Browser browser = connect(LocalJobway.KEY_A)) {
            browser.send("{\"action\":\"subscribe\",\"jobId\":\"" + mine + "\"}");

            // the job's first event may come before the answer to the subscription: the notifier posts as soon
            // as the subscription is stored, API Gateway sends the answer once the route's function returns
            JsonNode acknowledgement = null;
            JsonNode event = null;
            while (event == null || !event.get("status").asText().equals("succeeded")) {
                JsonNode message = browser.next(Duration.ofSeconds(20));
                if (message.get("type").asText().equals("subscribed")) {
                    acknowledgement = message;
                } else {
                    assertThat(message.get("type").asText()).as("message %s", message).isEqualTo("job");
                    event = message;
                }
                assertThat(message.get("jobId").asText()).as("message %s", message).isEqualTo(mine).isNotEqualTo(other);
            }
            assertThat(acknowledgement).as("the answer to the subscription").isNotNull();
        }
    }

    @Test
    void another_tenant_receives_nothing_even_when_it_asks_for_the_job_by_id() throws Exception {
        try (Browser intruder = connect(LocalJobway.KEY_B)) {
            intruder.send("{\"action\":\"subscribe\",\"tenant\":true}");
            intruder.next(Duration.ofSeconds(5));
            String id = jobway.submit("{\"type\":\"echo\",\"payload\":{\"secret\":1},\"delaySeconds\":1}");
            intruder.send("{\"action\":\"subscribe\",\"jobId\":\"" + id + "\"}");
            intruder.next(Duration.ofSeconds(5)); // the acknowledgement

            jobway.awaitStatus(id, "succeeded", Duration.ofSeconds(20));

            assertThat(intruder.received.poll(1_500, TimeUnit.MILLISECONDS)).as("events of tenant A").isNull();
        }
    }

    @Test
    void a_connection_without_a_valid_key_is_refused() {
        URI noKey = jobway.webSocketUrl();
        URI badKey = URI.create(noKey + "?token=jw_nope_nope");

        for (URI url : List.of(noKey, badKey)) {
            assertThatThrownBy(() -> HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(url, new Browser()).join())
                    .hasCauseInstanceOf(java.net.http.WebSocketHandshakeException.class);
        }
    }

    @Test
    void an_unknown_message_gets_an_error_that_says_what_to_send() throws Exception {
        try (Browser browser = connect(LocalJobway.KEY_A)) {
            browser.send("{\"action\":\"dance\"}");

            JsonNode answer = browser.answer(Duration.ofSeconds(5));

            assertThat(answer.get("type").asText()).isEqualTo("error");
            assertThat(answer.get("message").asText()).contains("subscribe");
        }
    }
}
