package io.jobway.local.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.jobway.json.Json;
import io.jobway.local.lambda.LocalFunction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The local HTTP API reads each function's answer the way API Gateway reads a payload 2.0 response. */
class HttpApiHostTest {
    private HttpApiHost host;
    private final HttpClient client = HttpClient.newHttpClient();

    /** Answers with the raw path of the event it got, in a typed response. */
    static final class Typed implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
        @Override
        public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
            return APIGatewayV2HTTPResponse.builder().withStatusCode(418).withHeaders(Map.of("x-kind", "typed"))
                    .withBody(event.getRawPath() + " " + event.getPathParameters().get("id")).build();
        }
    }

    /** Answers with a plain JSON value: no statusCode. */
    static final class Bare implements RequestHandler<APIGatewayV2HTTPEvent, Map<String, Object>> {
        @Override
        public Map<String, Object> handleRequest(APIGatewayV2HTTPEvent event, Context context) {
            return Map.of("ok", true);
        }
    }

    @BeforeEach
    void start() throws IOException {
        host = new HttpApiHost(0);
        LocalFunction stream = LocalFunction.of("Stream", 10, (InputStream in, OutputStream out, Context c) -> {
            String routeKey = Json.mapper().readTree(in).get("routeKey").asText();
            out.write(("{\"statusCode\":201,\"headers\":{\"x-route\":\"" + routeKey + "\"},"
                    + "\"body\":\"aGk=\",\"isBase64Encoded\":true}").getBytes(StandardCharsets.UTF_8));
        });
        host.start(List.of(new HttpRoute("POST", "/stream", stream, false),
                new HttpRoute("GET", "/typed/{id}", LocalFunction.of("Typed", 10, new Typed()), false),
                new HttpRoute("GET", "/bare", LocalFunction.of("Bare", 10, new Bare()), false),
                new HttpRoute("GET", "/boom", LocalFunction.of("Boom", 10, (InputStream in, OutputStream out,
                        Context c) -> {
                    throw new IllegalStateException("the function failed");
                }), false)),
                null, Duration.ZERO, null);
    }

    @AfterEach
    void stop() {
        host.stop(Duration.ofSeconds(1));
    }

    /** HEAD, or any method a path has no route for: 405 naming the methods it has, body or not. */
    @Test
    void a_method_the_path_has_no_route_for_gets_405_with_allow() throws Exception {
        HttpResponse<String> head = send(HttpRequest.newBuilder(uri("/typed/7"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        HttpResponse<String> delete = send(HttpRequest.newBuilder(uri("/typed/7")).DELETE());

        assertThat(head.statusCode()).isEqualTo(405);
        assertThat(head.headers().firstValue("allow")).hasValue("GET");
        assertThat(head.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(delete.statusCode()).isEqualTo(405);
        assertThat(Json.parse(delete.body()).get("detail").asText()).isEqualTo("/typed/7 takes GET, not DELETE");
        assertThat(send(HttpRequest.newBuilder(uri("/nowhere")).GET()).statusCode()).isEqualTo(404);
    }

    @Test
    void a_stream_handler_gets_the_event_bytes_and_its_json_answer_becomes_the_response() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/stream"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")));

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("x-route")).hasValue("POST /stream");
        assertThat(response.body()).as("base64 body decoded").isEqualTo("hi");
    }

    @Test
    void a_typed_handler_answer_is_serialized_as_the_runtime_does_and_read_back() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/typed/j-7")).GET());

        assertThat(response.statusCode()).isEqualTo(418);
        assertThat(response.headers().firstValue("x-kind")).hasValue("typed");
        assertThat(response.body()).isEqualTo("/typed/j-7 j-7");
    }

    @Test
    void an_answer_without_a_status_code_is_the_json_body_of_a_200() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/bare")).GET());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(Json.parse(response.body())).isEqualTo(Json.parse("{\"ok\":true}"));
    }

    /** API Gateway answers a function's error with its own 500; the client gets that, not an empty reply. */
    @Test
    void a_function_that_fails_gets_the_client_a_500_with_api_gateways_body() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/boom")).GET());

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(Json.parse(response.body())).isEqualTo(Json.parse("{\"message\":\"Internal Server Error\"}"));
        assertThat(send(HttpRequest.newBuilder(uri("/bare")).GET()).statusCode()).as("and the host goes on")
                .isEqualTo(200);
    }

    /** Bytes that are not an HTTP request: a problem+json 400 saying so, where the JDK's server wrote HTML. */
    @Test
    void a_request_that_is_not_http_gets_a_problem_json_400() throws Exception {
        try (var socket = new java.net.Socket("127.0.0.1", host.port())) {
            socket.getOutputStream().write("NOT HTTP AT ALL\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(answer).startsWith("HTTP/1.1 400 ").containsIgnoringCase("content-type: application/problem+json");
            assertThat(Json.parse(answer.substring(answer.indexOf("\r\n\r\n") + 4)).get("detail").asText())
                    .startsWith("the request could not be read as HTTP: ");
        }
        assertThat(send(HttpRequest.newBuilder(uri("/bare")).GET()).statusCode()).isEqualTo(200);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + host.port() + path);
    }

    /** An app served beside the API gets what no route answers under its prefix, body and method included. */
    @Test
    void an_app_answers_under_its_prefix_and_the_api_keeps_its_routes() throws Exception {
        host.serveApp("/app/", request -> request.path().equals("echo")
                ? Optional.of(new LocalApp.Answer(201, "text/plain", request.method() + " " + request.body()))
                : Optional.empty());

        HttpResponse<String> echo = send(HttpRequest.newBuilder(uri("/app/echo"))
                .POST(HttpRequest.BodyPublishers.ofString("hello")));
        HttpResponse<String> missing = send(HttpRequest.newBuilder(uri("/app/nothing")).GET());
        HttpResponse<String> route = send(HttpRequest.newBuilder(uri("/bare")).GET());

        assertThat(echo.statusCode()).isEqualTo(201);
        assertThat(echo.body()).isEqualTo("POST hello");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(route.body()).isEqualTo("{\"ok\":true}");
        assertThatThrownBy(() -> host.serveApp("/v1/mine/", r -> Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/v1/");
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
