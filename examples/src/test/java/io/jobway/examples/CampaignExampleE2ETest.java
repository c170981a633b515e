package io.jobway.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Seed scenario 1: a campaign job works through its steps while a browser watches over WebSocket. */
class CampaignExampleE2ETest {
    private final ExampleStack stack = ExampleStack.shared();

    @Test
    void a_subscribed_browser_sees_every_step_in_order_and_then_the_result() throws Exception {
        try (Browser browser = new Browser(stack.runtime.webSocketUrl().orElseThrow(), ExampleStack.KEY)) {
            browser.send("{\"action\":\"subscribe\",\"tenant\":true}");
            assertThat(browser.next(Duration.ofSeconds(5)).get("type").asText()).isEqualTo("subscribed");

            // steps a little over a second apart: progress is written at most once a second per job
            String id = stack.submit("{\"type\":\"campaign\",\"payload\":{\"name\":\"Spring launch\","
                    + "\"audience\":\"fintech\",\"size\":200,\"minScore\":70,\"stepDelayMs\":1100}}");

            List<JsonNode> events = new ArrayList<>();
            JsonNode event;
            do {
                event = browser.next(Duration.ofSeconds(30));
                if (event.get("jobId").asText().equals(id)) {
                    events.add(event);
                }
            } while (!event.get("jobId").asText().equals(id) || !isTerminal(event));

            assertThat(events.getLast().get("status").asText()).isEqualTo("succeeded");
            assertThat(events.stream().map(e -> e.get("status").asText()).distinct().toList())
                    .containsExactly("queued", "running", "succeeded");
            List<String> steps = events.stream().filter(e -> e.get("progress").isObject())
                    .map(e -> e.get("progress").get("message").asText().split(":")[0]).distinct().toList();
            assertThat(steps).containsExactly("search", "enrich", "score", "export");
            List<Integer> percents = events.stream().filter(e -> e.get("progress").isObject())
                    .map(e -> e.get("progress").get("percent").asInt()).toList();
            assertThat(percents).isSorted().contains(25, 50, 75, 100);

            // the event says it is done; the page then reads the result
            JsonNode result = stack.job(id).get("result");
            assertThat(result.get("campaign").asText()).isEqualTo("Spring launch");
            assertThat(result.get("prospects").asInt()).isEqualTo(200);
            int qualified = result.get("qualified").asInt();
            assertThat(qualified).isBetween(1, 199);
            String[] csvLines = result.get("csv").asText().split("\r\n");
            assertThat(csvLines).hasSize(qualified + 1);
            assertThat(csvLines[0]).isEqualTo("email,company,role,employees,score");
            assertThat(result.get("top")).hasSize(5)
                    .allSatisfy(p -> assertThat(p.get("score").asInt()).isGreaterThanOrEqualTo(70));
        }
    }

    @Test
    void a_campaign_cancelled_midway_stops_at_the_next_step_and_ends_cancelled() throws Exception {
        String id = stack.submit("{\"type\":\"campaign\",\"payload\":{\"name\":\"Too big\",\"audience\":\"retail\","
                + "\"stepDelayMs\":2500}}");
        stack.awaitJob(id, j -> j.get("progress").isObject(), Duration.ofSeconds(20));

        assertThat(stack.post("/v1/jobs/" + id + "/cancel", "").status()).isEqualTo(202);

        JsonNode job = stack.awaitJob(id, j -> isTerminal(j), Duration.ofSeconds(30));
        assertThat(job.get("status").asText()).isEqualTo("cancelled");
        assertThat(job.get("progress").get("percent").asInt()).isLessThan(100);
        assertThat(job.get("result").isNull()).isTrue();
    }

    @Test
    void a_campaign_without_an_audience_fails_at_once_naming_the_field() throws Exception {
        String id = stack.submit("{\"type\":\"campaign\",\"payload\":{\"name\":\"No audience\"}}");

        JsonNode job = stack.awaitStatus(id, "dead", Duration.ofSeconds(20));
        assertThat(job.get("attempt").asInt()).isEqualTo(1);
        assertThat(job.get("error").get("message").asText()).contains("'audience' is required");
    }

    private static boolean isTerminal(JsonNode job) {
        return List.of("succeeded", "dead", "cancelled").contains(job.get("status").asText());
    }
}
