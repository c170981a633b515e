package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every malformed request gets a clear problem+json naming what is wrong, and changes nothing. */
class BadRequestsE2ETest {
    private static final String KEY_C = "jw_tenantC_" + "badrequestsbadrequests";
    private static final LocalJobway jobway = LocalJobway.shared();

    @BeforeAll
    static void registerTenant() {
        jobway.registerKey(KEY_C, "tenant-c");
    }

    static Stream<Arguments> badSubmissions() {
        String big = "\"" + "x".repeat(256 * 1024) + "\"";
        return Stream.of(
                Arguments.of("{not json", 400, "body"),
                Arguments.of("[1,2]", 400, "body"),
                Arguments.of("", 400, "body"),
                Arguments.of("{\"payload\":{}}", 400, "type"),
                Arguments.of("{\"type\":42}", 400, "type"),
                Arguments.of("{\"type\":\"no-such-type\"}", 400, "type"),
                Arguments.of("{\"type\":\"echo\",\"colour\":\"red\"}", 400, "colour"),
                Arguments.of("{\"type\":\"echo\",\"maxAttempts\":0}", 400, "maxAttempts"),
                Arguments.of("{\"type\":\"echo\",\"maxAttempts\":26}", 400, "maxAttempts"),
                Arguments.of("{\"type\":\"echo\",\"maxAttempts\":\"3\"}", 400, "maxAttempts"),
                Arguments.of("{\"type\":\"echo\",\"maxAttempts\":2.5}", 400, "maxAttempts"),
                Arguments.of("{\"type\":\"echo\",\"timeoutSeconds\":0}", 400, "timeoutSeconds"),
                Arguments.of("{\"type\":\"echo\",\"timeoutSeconds\":871}", 400, "timeoutSeconds"),
                Arguments.of("{\"type\":\"echo\",\"delaySeconds\":-1}", 400, "delaySeconds"),
                Arguments.of("{\"type\":\"echo\",\"delaySeconds\":31536001}", 400, "delaySeconds"),
                Arguments.of("{\"type\":\"echo\",\"runAt\":\"tomorrow\"}", 400, "runAt"),
                Arguments.of("{\"type\":\"echo\",\"callbackUrl\":\"ftp://example.com/x\"}", 400, "callbackUrl"),
                Arguments.of("{\"type\":\"echo\",\"callbackUrl\":\"not a url\"}", 400, "callbackUrl"),
                Arguments.of("{\"type\":\"echo\",\"payload\":" + big + "}", 413, "payload"),
                Arguments.of("{\"type\":\"echo\",\"type\":\"sleep\"}", 400, "body"),
                Arguments.of("{\"type\":\"echo\",\"payload\":{\"n\":1e309}}", 400, "body"),
                Arguments.of("{\"type\":\"echo\",\"payload\":{\"s\":\"\\udc00\"}}", 400, "body"));
    }

    /** Bytes that are not UTF-8 reach the function base64-encoded, as API Gateway passes them, and are refused. */
    @org.junit.jupiter.api.Test
    void a_body_that_is_not_utf8_gets_400_naming_the_body_not_replacement_characters() throws Exception {
        byte[] latin1 = "{\"type\":\"echo\",\"payload\":{\"name\":\"Zo\u00eb\"}}"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        var http = java.net.http.HttpClient.newHttpClient();
        var response = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(jobway.baseUrl() + "/v1/jobs"))
                .header("authorization", "Bearer " + KEY_C).header("content-type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(latin1)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("\"field\":\"body\"").contains("not valid UTF-8 (from byte 36)");
        assertThat(jobway.get("/v1/jobs", KEY_C).json().get("items")).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void a_body_sent_as_a_form_gets_415_naming_the_content_type() {
        LocalJobway.Response response = jobway.post("/v1/jobs", KEY_C, "{\"type\":\"echo\"}",
                Map.of("content-type", "application/x-www-form-urlencoded"));

        assertThat(response.status()).isEqualTo(415);
        assertThat(response.json().get("errors").findValuesAsText("field")).containsExactly("Content-Type");
        assertThat(jobway.get("/v1/jobs", KEY_C).json().get("items")).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] {1} naming {2}")
    @MethodSource("badSubmissions")
    void POST_jobs_with_bad_input_gives_a_problem_naming_the_field_and_stores_nothing(String body, int status,
                                                                                     String field) {
        LocalJobway.Response response = jobway.post("/v1/jobs", KEY_C, body);

        assertThat(response.status()).isEqualTo(status);
        assertThat(response.header("content-type")).isEqualTo("application/problem+json");
        assertThat(response.json().get("status").asInt()).isEqualTo(status);
        assertThat(response.json().get("errors").findValuesAsText("field")).contains(field);
        assertThat(jobway.get("/v1/jobs", KEY_C).json().get("items")).isEmpty();
    }

    static Stream<Arguments> badQueries() {
        return Stream.of(
                Arguments.of("/v1/jobs?limit=0", "limit"),
                Arguments.of("/v1/jobs?limit=101", "limit"),
                Arguments.of("/v1/jobs?limit=ten", "limit"),
                Arguments.of("/v1/jobs?status=finished", "status"),
                Arguments.of("/v1/jobs?cursor=!!!", "cursor"),
                Arguments.of("/v1/jobs?cursor=bm90LWEtam9i", "cursor"),
                Arguments.of("/v1/jobs?stauts=dead", "stauts"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("badQueries")
    void GET_jobs_with_a_bad_query_gives_400_naming_the_parameter(String path, String field) {
        LocalJobway.Response response = jobway.get(path, KEY_C);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("errors").findValuesAsText("field")).containsExactly(field);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("unknownJobs")
    void an_unknown_or_malformed_job_id_is_404(String path) {
        LocalJobway.Response response = path.endsWith("cancel") || path.endsWith("retry")
                ? jobway.post(path, KEY_C, null) : jobway.get(path, KEY_C);

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.header("content-type")).isEqualTo("application/problem+json");
    }

    static Stream<String> unknownJobs() {
        return Stream.of("/v1/jobs/not-a-uuid", "/v1/jobs/01a20000-0000-7000-8000-000000000000",
                "/v1/jobs/01a20000-0000-7000-8000-000000000000/cancel", "/v1/jobs/%27%3B--/retry");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("conflicts")
    void cancelling_a_finished_job_or_retrying_a_live_one_is_409(String action) {
        String id = jobway.submit("{\"type\":\"echo\",\"payload\":{},\"delaySeconds\":900}");
        if (action.equals("cancel")) {
            jobway.post("/v1/jobs/" + id + "/cancel", LocalJobway.KEY_A, null);
        }

        LocalJobway.Response response = jobway.post("/v1/jobs/" + id + "/" + action, LocalJobway.KEY_A, null);

        assertThat(response.status()).isEqualTo(409);
        assertThat(response.json().get("detail").asText()).contains(id);
    }

    static Stream<String> conflicts() {
        return Stream.of("cancel", "retry");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("badKeys")
    void a_bad_idempotency_key_is_refused(String key) {
        LocalJobway.Response response = jobway.post("/v1/jobs", KEY_C, "{\"type\":\"echo\"}",
                Map.of("Idempotency-Key", key));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("errors").findValuesAsText("field")).containsExactly("Idempotency-Key");
    }

    static Stream<String> badKeys() {
        return Stream.of("k".repeat(256), "   ");
    }

    /**
     * A request target no URI parser accepts (a '%' without two hex digits, a raw control character) never reaches
     * a route: the host answers problem+json naming it, where the JDK's server answered an HTML page.
     */
    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("malformedTargets")
    void a_malformed_request_target_gets_a_problem_naming_what_is_wrong(String target, String named)
            throws Exception {
        String answer = rawRequest("POST " + target + " HTTP/1.1", "{\"type\":\"echo\"}");

        assertThat(answer).startsWith("HTTP/1.1 400 ");
        assertThat(header(answer, "content-type")).isEqualTo("application/problem+json");
        com.fasterxml.jackson.databind.JsonNode problem = io.jobway.json.Json.parse(body(answer));
        assertThat(problem.get("status").asInt()).isEqualTo(400);
        assertThat(problem.get("type").asText()).isEqualTo("urn:jobway:problem:validation-error");
        assertThat(problem.get("detail").asText()).contains(named);
        assertThat(jobway.get("/v1/jobs", KEY_C).json().get("items")).as("nothing stored, and the host goes on")
                .isEmpty();
    }

    static Stream<Arguments> malformedTargets() {
        return Stream.of(
                Arguments.of("/v1/jobs/%zz/cancel", "malformed percent escape"),
                Arguments.of("/v1/jobs%", "malformed percent escape"),
                Arguments.of("/v1/jobs/%4/retry", "malformed percent escape"),
                Arguments.of("/v1/jobs/a%00b/cancel", "must be percent-encoded"));
    }

    /** In the query, a malformed escape reaches the function as it came (API Gateway's way), which names it. */
    @org.junit.jupiter.api.Test
    void a_malformed_escape_in_the_query_gets_400_naming_the_parameter() throws Exception {
        String answer = rawRequest("GET /v1/jobs?status=%zz HTTP/1.1", null);

        assertThat(answer).startsWith("HTTP/1.1 400 ");
        assertThat(io.jobway.json.Json.parse(body(answer)).get("errors").findValuesAsText("field"))
                .containsExactly("status");
    }

    /** One request on its own connection, written as bytes: HTTP clients refuse to send a malformed target. */
    private static String rawRequest(String requestLine, String json) throws java.io.IOException {
        java.net.URI base = java.net.URI.create(jobway.baseUrl());
        try (var socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            byte[] content = json == null ? new byte[0] : json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            String head = requestLine + "\r\nHost: " + base.getAuthority() + "\r\nAuthorization: Bearer " + KEY_C
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + content.length
                    + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(content);
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static String header(String answer, String name) {
        return answer.substring(0, answer.indexOf("\r\n\r\n")).lines()
                .filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith(name + ":"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(null);
    }

    private static String body(String answer) {
        return answer.substring(answer.indexOf("\r\n\r\n") + 4);
    }
}
