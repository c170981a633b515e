package io.jobway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.events.WebSocketEvent;
import io.jobway.auth.InMemoryApiKeyStore;
import io.jobway.fixtures.FakeLambdaContext;
import io.jobway.fixtures.LambdaEvents;
import io.jobway.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The WebSocket function reads its events itself instead of through Lambda's runtime serializer: it must read
 * what the routes use exactly as that serializer does, and answer in the shape API Gateway reads.
 */
class WebSocketFunctionTest {
    /** Only $connect with a key that is not there runs here: it needs no connection table. */
    private final WebSocketFunction function = new WebSocketFunction(
            new WebSocketFunction.WebSocketRoutes(new InMemoryApiKeyStore(), null, null, Clock.systemUTC()));

    @ParameterizedTest
    @ValueSource(strings = {"websocket-connect.json", "websocket-subscribe.json", "websocket-disconnect.json"})
    void reads_each_sample_event_as_the_runtime_serializer_does(String file) throws IOException {
        WebSocketEvent ours;
        try (InputStream in = Files.newInputStream(LambdaEvents.path(file))) {
            ours = WebSocketEvent.read(in);
        }

        assertThat(ours).isEqualTo(asTheRuntimeReadsIt(LambdaEvents.load(file, APIGatewayV2WebSocketEvent.class)));
    }

    @Test
    void decodes_a_base64_body() throws IOException {
        String body = "{\"action\":\"subscribe\",\"tenant\":true}";
        var event = new APIGatewayV2WebSocketEvent();
        var context = new APIGatewayV2WebSocketEvent.RequestContext();
        context.setRouteKey("subscribe");
        context.setConnectionId("c1");
        event.setRequestContext(context);
        event.setBody(Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)));
        event.setIsBase64Encoded(true);

        WebSocketEvent read = WebSocketEvent.read(new ByteArrayInputStream(runtimeJson(event)));

        assertThat(read).isEqualTo(new WebSocketEvent("subscribe", "c1", null, body));
    }

    @Test
    void refuses_an_event_that_is_not_a_websocket_event_and_names_what_is_missing() {
        assertThatThrownBy(() -> answer("[]")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a WebSocket API event: expected a JSON object");
        assertThatThrownBy(() -> answer("{\"requestContext\":{\"connectionId\":\"c1\"}}"))
                .hasMessage("not a WebSocket API event: requestContext has no routeKey");
        assertThatThrownBy(() -> answer("{\"requestContext\":{\"routeKey\":\"$connect\"}}"))
                .hasMessage("not a WebSocket API event: requestContext has no connectionId");
    }

    @Test
    void a_connect_with_an_unknown_key_is_answered_401_in_the_shape_the_runtime_would_write() throws IOException {
        JsonNode answer = answer(Files.readString(LambdaEvents.path("websocket-connect.json")));

        assertThat(answer).isEqualTo(Json.parse("{\"statusCode\":401,\"body\":\"Unauthorized\"}"));
        var typed = new APIGatewayV2WebSocketResponse();
        typed.setStatusCode(401);
        typed.setBody("Unauthorized");
        var runtimeWritten = new ByteArrayOutputStream();
        LambdaEventSerializers.serializerFor(APIGatewayV2WebSocketResponse.class, getClass().getClassLoader())
                .toJson(typed, runtimeWritten);
        JsonNode theRuntimes = Json.mapper().readTree(runtimeWritten.toByteArray());
        assertThat(theRuntimes.get("statusCode")).isEqualTo(answer.get("statusCode"));
        assertThat(theRuntimes.get("body")).isEqualTo(answer.get("body"));
    }

    private JsonNode answer(String event) throws IOException {
        var out = new ByteArrayOutputStream();
        function.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out,
                new FakeLambdaContext("jobway-WebSocketFunction", Duration.ofSeconds(10)));
        return Json.mapper().readTree(out.toByteArray());
    }

    private static WebSocketEvent asTheRuntimeReadsIt(APIGatewayV2WebSocketEvent event) {
        Map<String, String> query = event.getQueryStringParameters();
        return new WebSocketEvent(event.getRequestContext().getRouteKey(), event.getRequestContext().getConnectionId(),
                query == null ? null : query.get("token"),
                event.isIsBase64Encoded() ? new String(Base64.getDecoder().decode(event.getBody()), StandardCharsets.UTF_8)
                        : event.getBody());
    }

    private static byte[] runtimeJson(APIGatewayV2WebSocketEvent event) {
        var json = new ByteArrayOutputStream();
        LambdaEventSerializers.serializerFor(APIGatewayV2WebSocketEvent.class, WebSocketFunctionTest.class.getClassLoader())
                .toJson(event, json);
        return json.toByteArray();
    }
}
