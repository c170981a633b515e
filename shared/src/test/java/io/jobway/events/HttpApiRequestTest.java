package io.jobway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.jobway.fixtures.LambdaEvents;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The function reads HTTP API events itself instead of through Lambda's runtime serializer: it must read every
 * field the routes use exactly as that serializer does, and write a response the runtime's reading agrees with.
 */
class HttpApiRequestTest {

    @ParameterizedTest
    @ValueSource(strings = {"api-submit.json", "api-get.json", "api-list.json", "api-cancel.json", "api-retry.json",
            "api-health.json"})
    void reads_each_sample_event_as_the_runtime_serializer_does(String file) throws IOException {
        HttpApiRequest ours;
        try (InputStream in = Files.newInputStream(LambdaEvents.path(file))) {
            ours = HttpApiRequest.read(in);
        }

        assertThat(ours).isEqualTo(asTheRuntimeReadsIt(LambdaEvents.load(file, APIGatewayV2HTTPEvent.class)));
    }

    @Test
    void decodes_a_base64_body_and_lowercases_header_names() throws IOException {
        String body = "{\"type\":\"echo\",\"payload\":{\"name\":\"Zoë\"}}";
        var event = APIGatewayV2HTTPEvent.builder().withVersion("2.0").withRouteKey("POST /v1/jobs")
                .withRawPath("/v1/jobs").withHeaders(Map.of("Content-Type", "application/json", "X-Trace", "abc"))
                .withQueryStringParameters(Map.of("a", "1,2"))
                .withBody(Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)))
                .withIsBase64Encoded(true).build();

        HttpApiRequest request = HttpApiRequest.read(new ByteArrayInputStream(runtimeJson(event)));

        assertThat(request.body()).isEqualTo(body);
        assertThat(request.headers()).containsEntry("content-type", "application/json").containsEntry("x-trace", "abc");
        assertThat(request.queryParameters()).containsEntry("a", "1,2");
        assertThat(request.tenantId()).isNull();
        assertThat(request).isEqualTo(asTheRuntimeReadsIt(event));
    }

    @Test
    void refuses_an_event_that_is_not_an_http_api_event_and_names_what_is_missing() throws IOException {
        byte[] sqsBatch = Files.readAllBytes(LambdaEvents.path("worker-sqs-batch.json"));

        assertThatThrownBy(() -> HttpApiRequest.read(new ByteArrayInputStream(sqsBatch)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no routeKey");
        assertThatThrownBy(() -> HttpApiRequest.read(new ByteArrayInputStream("[1]".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected a JSON object");
        assertThatThrownBy(() -> HttpApiRequest.read(new ByteArrayInputStream(
                "{\"routeKey\":\"GET /v1/health\"}".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no rawPath");
    }

    @Test
    void writes_a_response_the_runtime_reads_back_unchanged() throws IOException {
        var written = new ByteArrayOutputStream();
        new HttpApiResponse(202, Map.of("content-type", "application/json", "location",
                "/v1/jobs/j-1"), "{\"jobId\":\"j-1\",\"note\":\"quote \\\" and ünïcode\"}").write(written);

        APIGatewayV2HTTPResponse read = LambdaEventSerializers.serializerFor(APIGatewayV2HTTPResponse.class,
                getClass().getClassLoader()).fromJson(new ByteArrayInputStream(written.toByteArray()));

        assertThat(read.getStatusCode()).isEqualTo(202);
        assertThat(read.getHeaders()).containsExactlyInAnyOrderEntriesOf(Map.of("content-type", "application/json",
                "location", "/v1/jobs/j-1"));
        assertThat(read.getBody()).isEqualTo("{\"jobId\":\"j-1\",\"note\":\"quote \\\" and ünïcode\"}");
        assertThat(read.getIsBase64Encoded()).isFalse();
    }

    @Test
    void writes_a_response_without_a_body_without_one() throws IOException {
        var written = new ByteArrayOutputStream();
        new HttpApiResponse(204, Map.of(), null).write(written);

        assertThat(written.toString(StandardCharsets.UTF_8))
                .isEqualTo("{\"statusCode\":204,\"headers\":{},\"isBase64Encoded\":false}");
    }

    private static byte[] runtimeJson(APIGatewayV2HTTPEvent event) {
        var json = new ByteArrayOutputStream();
        LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, HttpApiRequestTest.class.getClassLoader())
                .toJson(event, json);
        return json.toByteArray();
    }

    /** What the function read when Lambda's runtime deserialized the event for it (before it took bytes). */
    private static HttpApiRequest asTheRuntimeReadsIt(APIGatewayV2HTTPEvent event) {
        Map<String, String> headers = new HashMap<>();
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((name, value) -> headers.put(name.toLowerCase(), value));
        }
        String body = event.getBody();
        if (body != null && event.getIsBase64Encoded()) {
            body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
        }
        var context = event.getRequestContext();
        var lambda = context == null || context.getAuthorizer() == null ? null : context.getAuthorizer().getLambda();
        Object tenant = lambda == null ? null : lambda.get(AuthorizerResponse.TENANT_ID);
        Object scopes = lambda == null ? null : lambda.get(AuthorizerResponse.SCOPES);
        return new HttpApiRequest(event.getRouteKey(), event.getRawPath(), tenant == null ? null : tenant.toString(),
                event.getPathParameters(), event.getQueryStringParameters(), headers, body,
                scopes == null || scopes.toString().isEmpty() ? java.util.Set.of()
                        : java.util.Set.of(scopes.toString().split(",")), null, null);
    }
}
