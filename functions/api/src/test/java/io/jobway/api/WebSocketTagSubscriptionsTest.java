package io.jobway.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.auth.ApiKey;
import io.jobway.auth.ApiKeys;
import io.jobway.auth.BrowserTokens;
import io.jobway.auth.InMemoryApiKeyStore;
import io.jobway.events.WebSocketEvent;
import io.jobway.fixtures.InMemoryConnectionsTable;
import io.jobway.fixtures.TestClock;
import io.jobway.json.Json;
import io.jobway.notify.ConnectionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code {"action":"subscribe","tag":"..."}}: allowed for the tenant's API key and for a browser token of that tag,
 * refused as today's refusals look for any other token; the subscription is the tenant's and ends with the token.
 */
class WebSocketTagSubscriptionsTest {
    private static final String TENANT = "tenant-a";
    private static final String JOB = "01900000-0000-7000-8000-00000000000a";
    private final TestClock clock = TestClock.startingNow();
    private final InMemoryApiKeyStore keys = new InMemoryApiKeyStore();
    private final BrowserTokens tokens = new BrowserTokens(ApiHarness.SIGNING);
    private final ConnectionStore connections = new ConnectionStore(new InMemoryConnectionsTable(), "connections");
    private final WebSocketFunction.WebSocketRoutes routes = new WebSocketFunction.WebSocketRoutes(keys, tokens,
            connections, clock);

    @Test
    void an_api_keys_connection_subscribes_to_a_tag_of_its_tenant() {
        String key = new ApiKeys().generate();
        keys.put(new ApiKey(ApiKeys.hash(key), ApiKeys.keyId(key), TENANT, Set.of("jobs:read"), clock.instant(), null));
        connect("c-key", key);

        JsonNode ack = subscribe("c-key", "{\"action\":\"subscribe\",\"tag\":\"user:42\"}");

        assertThat(ack).isEqualTo(Json.parse("{\"type\":\"subscribed\",\"tag\":\"user:42\"}"));
        assertThat(connections.subscribersOfTag(TENANT, "user:42", clock.instant())).containsExactly("c-key");
        assertThat(connections.subscribersOfTag("tenant-b", "user:42", clock.instant())).isEmpty();
    }

    @Test
    void a_tag_tokens_connection_subscribes_to_its_tag_and_to_nothing_else() {
        connect("c-tag", tokens.issue(BrowserTokens.Grant.ofTag(TENANT, "user:42", clock.instant().plusSeconds(600))));

        JsonNode otherTag = subscribe("c-tag", "{\"action\":\"subscribe\",\"tag\":\"user:43\"}");
        JsonNode job = subscribe("c-tag", "{\"action\":\"subscribe\",\"jobId\":\"" + JOB + "\"}");
        JsonNode tenant = subscribe("c-tag", "{\"action\":\"subscribe\",\"tenant\":true}");
        JsonNode own = subscribe("c-tag", "{\"action\":\"subscribe\",\"tag\":\"user:42\"}");

        for (JsonNode refused : new JsonNode[] {otherTag, job, tenant}) {
            assertThat(refused.get("type").asText()).isEqualTo("error");
            assertThat(refused.get("message").asText()).contains("browser token").contains("user:42");
        }
        assertThat(own.get("type").asText()).isEqualTo("subscribed");
        assertThat(connections.subscribersOfTag(TENANT, "user:42", clock.instant())).containsExactly("c-tag");
        assertThat(connections.subscribersOfTag(TENANT, "user:43", clock.instant())).isEmpty();
        assertThat(connections.subscribersOf(TENANT, JOB, clock.instant())).isEmpty();
        assertThat(connections.subscribersOf(TENANT, null, clock.instant())).isEmpty();
    }

    @Test
    void a_job_id_tokens_connection_may_not_subscribe_to_a_tag() {
        connect("c-ids", tokens.issue(new BrowserTokens.Grant(TENANT, Set.of(JOB), clock.instant().plusSeconds(600))));

        JsonNode refused = subscribe("c-ids", "{\"action\":\"subscribe\",\"tag\":\"user:42\"}");

        assertThat(refused.get("type").asText()).isEqualTo("error");
        assertThat(refused.get("message").asText()).contains("browser token");
        assertThat(connections.subscribersOfTag(TENANT, "user:42", clock.instant())).isEmpty();
        assertThat(subscribe("c-ids", "{\"action\":\"subscribe\",\"jobId\":\"" + JOB + "\"}").get("type").asText())
                .as("its own job still").isEqualTo("subscribed");
    }

    @Test
    void a_tag_tokens_subscription_ends_with_the_token_and_it_may_not_subscribe_again() {
        Instant until = clock.instant().plusSeconds(60);
        connect("c-tag", tokens.issue(BrowserTokens.Grant.ofTag(TENANT, "user:42", until)));
        subscribe("c-tag", "{\"action\":\"subscribe\",\"tag\":\"user:42\"}");

        assertThat(connections.subscribersOfTag(TENANT, "user:42", until.minusSeconds(1))).containsExactly("c-tag");
        assertThat(connections.subscribersOfTag(TENANT, "user:42", until)).isEmpty();
        clock.advance(Duration.ofSeconds(61));
        JsonNode refused = subscribe("c-tag", "{\"action\":\"subscribe\",\"tag\":\"user:42\"}");
        assertThat(refused.get("message").asText()).contains("expired");
    }

    @Test
    void a_wrong_tag_is_refused_with_the_rule() {
        connect("c-tag", tokens.issue(BrowserTokens.Grant.ofTag(TENANT, "user:42", clock.instant().plusSeconds(600))));

        for (String body : new String[] {"{\"action\":\"subscribe\",\"tag\":\"\"}",
                "{\"action\":\"subscribe\",\"tag\":\"a#b\"}", "{\"action\":\"subscribe\",\"tag\":7}"}) {
            JsonNode refused = subscribe("c-tag", body);
            assertThat(refused.get("type").asText()).as(body).isEqualTo("error");
            assertThat(refused.get("message").asText()).as(body).startsWith("tag must be");
        }
    }

    @Test
    void disconnecting_forgets_its_tag_subscriptions() {
        connect("c-tag", tokens.issue(BrowserTokens.Grant.ofTag(TENANT, "user:42", clock.instant().plusSeconds(600))));
        subscribe("c-tag", "{\"action\":\"subscribe\",\"tag\":\"user:42\"}");

        routes.handle(new WebSocketEvent("$disconnect", "c-tag", null, null));

        assertThat(connections.subscribersOfTag(TENANT, "user:42", clock.instant())).isEmpty();
        assertThat(connections.connection("c-tag")).isEmpty();
    }

    private void connect(String connectionId, String token) {
        assertThat(routes.handle(new WebSocketEvent("$connect", connectionId, token, null)).status()).isEqualTo(200);
    }

    private JsonNode subscribe(String connectionId, String body) {
        var response = routes.handle(new WebSocketEvent("subscribe", connectionId, null, body));
        assertThat(response.status()).isEqualTo(200);
        return Json.parse(response.body());
    }
}
