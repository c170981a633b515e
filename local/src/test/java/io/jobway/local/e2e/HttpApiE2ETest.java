package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The local HTTP API answers as API Gateway's HTTP API does around the function: routes, CORS. */
class HttpApiE2ETest {
    private final LocalJobway jobway = LocalJobway.shared();
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(jobway.baseUrl() + path));
    }

    @Test
    void a_route_the_template_does_not_declare_is_404_like_api_gateway() throws Exception {
        HttpResponse<String> response = send(request("/v2/jobs").header("authorization", "Bearer x"));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("{\"message\":\"Not Found\"}");
    }

    @Test
    void a_browser_preflight_is_answered_with_the_allowed_methods_and_headers() throws Exception {
        HttpResponse<String> response = send(request("/v1/jobs")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("origin", "http://localhost:5173")
                .header("access-control-request-method", "POST")
                .header("access-control-request-headers", "authorization,content-type"));

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.headers().firstValue("access-control-allow-origin")).contains("*");
        assertThat(response.headers().firstValue("access-control-allow-headers").orElse(""))
                .contains("authorization", "idempotency-key");
    }

    @Test
    void a_cross_origin_response_exposes_the_location_header() throws Exception {
        HttpResponse<String> response = send(request("/v1/jobs")
                .header("authorization", "Bearer " + LocalJobway.KEY_A)
                .header("origin", "http://localhost:5173").header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"echo\"}")));

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.headers().firstValue("access-control-allow-origin")).contains("*");
        assertThat(response.headers().firstValue("access-control-expose-headers").orElse("")).contains("location");
    }

    /** On AWS the Management API is the WebSocket API's IAM-signed endpoint: no HTTP API caller reaches it. */
    @Test
    void the_websocket_management_api_is_not_served_to_api_callers() throws Exception {
        for (String method : java.util.List.of("POST", "DELETE")) {
            HttpResponse<String> response = send(request("/live/@connections/some-connection")
                    .header("authorization", "Bearer " + LocalJobway.KEY_A)
                    .method(method, HttpRequest.BodyPublishers.ofString("{\"type\":\"job\",\"forged\":true}")));

            assertThat(response.statusCode()).as(method).isEqualTo(404);
            assertThat(response.body()).isEqualTo("{\"message\":\"Not Found\"}");
        }
    }

    /** A burst of first requests with one new key waits for one authorizer call, as a load's first second does. */
    @Test
    void requests_that_miss_the_authorizer_cache_together_share_one_authorizer_call() throws Exception {
        String key = "jw_burst" + System.nanoTime() + "_secretsecretsecretsecret";
        jobway.local("a key only this test uses").registerKey(key, "tenant-burst", io.jobway.auth.Scopes.ALL);
        var authorizer = jobway.function("AuthorizerFunction");
        long before = authorizer.usage().invocations();

        var burst = new java.util.ArrayList<java.util.concurrent.CompletableFuture<HttpResponse<String>>>();
        for (int i = 0; i < 50; i++) {
            burst.add(http.sendAsync(request("/v1/jobs?limit=1").header("authorization", "Bearer " + key).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        assertThat(burst).allSatisfy(answer -> assertThat(answer.join().statusCode()).isEqualTo(200));
        assertThat(authorizer.usage().invocations() - before).as("authorizer calls for 50 requests").isEqualTo(1);
    }
}
