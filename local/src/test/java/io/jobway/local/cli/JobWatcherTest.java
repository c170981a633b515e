package io.jobway.local.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.sun.net.httpserver.HttpServer;
import io.jobway.local.lambda.LocalFunction;
import io.jobway.local.websocket.WebSocketApiSpec;
import io.jobway.local.websocket.WebSocketApiHost;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ./jobway follow} against a WebSocket API that pushes the job's events before it answers the
 * subscription, as API Gateway may: the notifier can post as soon as the subscription is stored.
 */
class JobWatcherTest {
    private static final String JOB = "job_01";
    private HttpServer api;
    private WebSocketApiHost webSocket;
    /** What the subscribe route answers, after it has pushed the job's events. */
    private final AtomicReference<String> answer = new AtomicReference<>("{\"type\":\"subscribed\",\"jobId\":\"" + JOB + "\"}");
    private final ByteArrayOutputStream drawn = new ByteArrayOutputStream();

    /** The WebSocket API's function: the subscribe route pushes the job's events, then answers. */
    private final class Routes implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {
        @Override
        public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
            var response = new APIGatewayV2WebSocketResponse();
            response.setStatusCode(200);
            if (event.getRequestContext().getRouteKey().equals("subscribe")) {
                String connection = event.getRequestContext().getConnectionId();
                webSocket.post(connection, job("running", 40, "2026-11-23T10:00:01Z"));
                webSocket.post(connection, job("succeeded", 100, "2026-11-23T10:00:02Z"));
                response.setBody(answer.get());
            }
            return response;
        }
    }

    @BeforeEach
    void start() throws Exception {
        api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        var reads = new java.util.concurrent.atomic.AtomicInteger();
        api.createContext("/v1/jobs/" + JOB, exchange -> {
            // first read: the job as the subscription began; the last: as it ended
            String body = reads.getAndIncrement() == 0 ? job("queued", 0, "2026-11-23T10:00:00Z")
                    : job("succeeded", 100, "2026-11-23T10:00:02Z");
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("content-type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        api.start();

        var spec = new WebSocketApiSpec("Ws", "Stage", "live", "action", Map.of(
                "$connect", new WebSocketApiSpec.Route("$connect", "Ws", false),
                "subscribe", new WebSocketApiSpec.Route("subscribe", "Ws", true)));
        webSocket = new WebSocketApiHost(0, spec, Map.of("Ws", LocalFunction.of("Ws", 10, new Routes())));
        webSocket.start();
    }

    @AfterEach
    void stop() {
        webSocket.stop();
        api.stop(0);
    }

    @Test
    void events_that_come_before_the_subscriptions_answer_are_drawn_and_the_job_is_followed_to_its_end()
            throws Exception {
        var ended = watcher().watch(JOB, Duration.ofSeconds(10));

        assertThat(ended.get("status").asText()).isEqualTo("succeeded");

        assertThat(drawn.toString(StandardCharsets.UTF_8).lines().map(line -> line.split(" ")[0]).toList())
                .containsExactly("queued", "running", "succeeded");
    }

    @Test
    void a_subscription_the_api_refuses_is_an_error_that_shows_the_answer() {
        answer.set("{\"type\":\"error\",\"message\":\"jobId must be a job id as the API returns it\"}");

        assertThatThrownBy(() -> watcher().watch(JOB, Duration.ofSeconds(10)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("did not accept the subscription").hasMessageContaining("jobId must be");
    }

    private JobWatcher watcher() {
        var client = new JobWatcher.ApiClient(URI.create("http://127.0.0.1:" + api.getAddress().getPort()),
                "jw_test_key", HttpClient.newHttpClient());
        return new JobWatcher(client, webSocket.url(), new PrintStream(drawn, true, StandardCharsets.UTF_8), false);
    }

    private static String job(String status, int percent, String updatedAt) {
        return "{\"type\":\"job\",\"jobId\":\"" + JOB + "\",\"status\":\"" + status + "\",\"attempt\":1,"
                + "\"progress\":{\"percent\":" + percent + ",\"message\":\"\"},\"updatedAt\":\"" + updatedAt + "\"}";
    }
}
