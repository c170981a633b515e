package io.jobway.lambda;

import static io.jobway.lambda.Lambda.answer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.json.Json;
import io.jobway.notify.ConnectionStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** WebSocketFunction's package under Lambda's runtime (SnapStart), fed events/websocket-* in order. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebSocketPackageTest {
    private static final String CONNECTION = "YpA1cdQKoAMCJRQ=";
    private static final String JOB = "019ca944-3328-76ba-a4a4-f7a3c88b2875";
    private final Lambda lambda = Lambda.shared();
    private ExecutionEnvironment webSocket;

    @BeforeAll
    void start() {
        webSocket = ExecutionEnvironment.start(lambda.java, lambda.stack.function("WebSocketFunction"),
                ExecutionEnvironment.Init.SNAP_START);
    }

    @AfterAll
    void stop() {
        webSocket.close();
    }

    @Test
    void connect_subscribe_and_disconnect_as_api_gateway_sends_them() {
        assertThat(lambda.eventsOf("WebSocketFunction"))
                .containsExactly("websocket-connect.json", "websocket-disconnect.json", "websocket-subscribe.json");
        lambda.registerSampleKey();
        var connections = new ConnectionStore(lambda.stack.dynamo(), lambda.tableName("ConnectionsTable"));

        JsonNode connected = answer(webSocket, lambda.event("websocket-connect.json"));
        JsonNode subscribed = answer(webSocket, lambda.event("websocket-subscribe.json"));
        var subscribers = connections.subscribersOf(Lambda.SAMPLE_TENANT, JOB, java.time.Instant.now());
        JsonNode disconnected = answer(webSocket, lambda.event("websocket-disconnect.json"));
        JsonNode afterwards = answer(webSocket, lambda.event("websocket-subscribe.json"));

        assertThat(connected.get("statusCode").asInt()).isEqualTo(200);
        assertThat(subscribed.get("statusCode").asInt()).isEqualTo(200);
        assertThat(Json.parse(subscribed.get("body").asText()))
                .isEqualTo(Json.parse("{\"type\":\"subscribed\",\"jobId\":\"" + JOB + "\"}"));
        assertThat(subscribers).contains(CONNECTION);
        assertThat(disconnected.get("statusCode").asInt()).isEqualTo(200);
        assertThat(connections.subscribersOf(Lambda.SAMPLE_TENANT, JOB, java.time.Instant.now())).doesNotContain(CONNECTION);
        assertThat(Json.parse(afterwards.get("body").asText()).get("type").asText()).isEqualTo("error");
        SnapStart.assertPrimedWithoutCredentials(webSocket, "WebSocketFunction");
    }

    @Test
    void a_connect_with_an_unknown_token_is_refused_with_401() {
        JsonNode refused = answer(webSocket, lambda.event("websocket-connect.json")
                .replace(Lambda.SAMPLE_KEY, "jw_forged00_Xq3vN8kLm4Rt7YpWz2Bc9DfH"));

        assertThat(refused.get("statusCode").asInt()).isEqualTo(401);
    }
}
