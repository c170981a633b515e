package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket function fed the sample events of events/ in API Gateway's shape, read with the Lambda
 * runtime's serializer, on DynamoDB Local.
 */
class WebSocketEventFilesTest {
    private static final String SAMPLE_KEY = "jw_smpl2026_Xq3vN8kLm4Rt7YpWz2Bc9DfH";
    private final LocalJobway jobway = LocalJobway.shared();

    private APIGatewayV2WebSocketResponse invoke(String file) throws IOException {
        String json = Files.readString(Path.of("..", "events", file));
        return (APIGatewayV2WebSocketResponse) jobway.function("WebSocketFunction").invoke(json);
    }

    @Test
    void connect_subscribe_and_disconnect_as_api_gateway_sends_them() throws IOException {
        jobway.registerKey(SAMPLE_KEY, "tenant-sample");

        APIGatewayV2WebSocketResponse connected = invoke("websocket-connect.json");
        APIGatewayV2WebSocketResponse subscribed = invoke("websocket-subscribe.json");
        APIGatewayV2WebSocketResponse disconnected = invoke("websocket-disconnect.json");
        APIGatewayV2WebSocketResponse afterwards = invoke("websocket-subscribe.json");

        assertThat(connected.getStatusCode()).isEqualTo(200);
        assertThat(subscribed.getStatusCode()).isEqualTo(200);
        assertThat(subscribed.getBody()).contains("\"type\":\"subscribed\"", "019ca944-3328-76ba-a4a4-f7a3c88b2875");
        assertThat(disconnected.getStatusCode()).isEqualTo(200);
        assertThat(afterwards.getBody()).contains("\"type\":\"error\"", "reconnect");
    }

    @Test
    void a_connect_with_an_unknown_token_is_refused() throws IOException {
        String json = Files.readString(Path.of("..", "events", "websocket-connect.json"))
                .replace(SAMPLE_KEY, "jw_forged_key");

        APIGatewayV2WebSocketResponse refused = (APIGatewayV2WebSocketResponse) jobway
                .function("WebSocketFunction").invoke(json);

        assertThat(refused.getStatusCode()).isEqualTo(401);
    }
}
