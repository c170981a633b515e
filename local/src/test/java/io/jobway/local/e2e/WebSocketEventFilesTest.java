package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket function fed the sample events of events/ as the bytes API Gateway sends, on the target's
 * DynamoDB.
 */
class WebSocketEventFilesTest {
    private static final String SAMPLE_KEY = "jw_smpl2026_Xq3vN8kLm4Rt7YpWz2Bc9DfH";
    private final LocalJobway jobway = LocalJobway.shared();

    private JsonNode invoke(String file) throws IOException {
        return invokeWith(Files.readString(Path.of("..", "events", file)));
    }

    /** The event bytes as Lambda hands them over; the answer as API Gateway reads it. */
    private JsonNode invokeWith(String event) {
        return Json.parse(jobway.function("WebSocketFunction").invokeForJson(event));
    }

    @Test
    void connect_subscribe_and_disconnect_as_api_gateway_sends_them() throws IOException {
        jobway.registerKey(SAMPLE_KEY, "tenant-sample");

        JsonNode connected = invoke("websocket-connect.json");
        JsonNode subscribed = invoke("websocket-subscribe.json");
        JsonNode disconnected = invoke("websocket-disconnect.json");
        JsonNode afterwards = invoke("websocket-subscribe.json");

        assertThat(connected.get("statusCode").asInt()).isEqualTo(200);
        assertThat(subscribed.get("statusCode").asInt()).isEqualTo(200);
        assertThat(subscribed.get("body").asText()).contains("\"type\":\"subscribed\"", "019ca944-3328-76ba-a4a4-f7a3c88b2875");
        assertThat(disconnected.get("statusCode").asInt()).isEqualTo(200);
        assertThat(afterwards.get("body").asText()).contains("\"type\":\"error\"", "reconnect");
    }

    @Test
    void a_connect_with_an_unknown_token_is_refused() throws IOException {
        String json = Files.readString(Path.of("..", "events", "websocket-connect.json"))
                .replace(SAMPLE_KEY, "jw_forged_key");

        assertThat(invokeWith(json).get("statusCode").asInt()).isEqualTo(401);
    }
}
