package io.jobway.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobway.fixtures.FakeLambdaContext;
import io.jobway.fixtures.TestClock;
import io.jobway.job.Job;
import io.jobway.json.Json;
import io.jobway.queue.InMemoryJobQueue;
import io.jobway.queue.ReceivedMessage;
import io.jobway.store.InMemoryJobStore;
import io.jobway.store.JobQuery;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The API function as API Gateway calls it: HTTP API payload v2 events in, responses out, over the in-memory
 * store and queue, a test clock and a health check the test controls.
 */
final class ApiHarness {
    static final Set<String> JOB_TYPES = Set.of("echo", "sleep", "fail", "http");
    static final Duration RETENTION = Duration.ofDays(30);

    final TestClock clock = TestClock.startingNow();
    final InMemoryJobStore store = new InMemoryJobStore();
    final InMemoryJobQueue queue = new InMemoryJobQueue(clock);
    final FakeHealthCheck health = new FakeHealthCheck();
    final io.jobway.dlq.InMemoryUnclaimedDeadLetters unclaimed = new io.jobway.dlq.InMemoryUnclaimedDeadLetters();
    /** The cloud's rules with a fake DNS: every name is a public host; address literals stay what they are. */
    static final io.jobway.notify.CallbackUrlGuard CLOUD_GUARD = new io.jobway.notify.CallbackUrlGuard(false,
            host -> java.util.List.of(java.net.InetAddress.getByName(
                    host.matches("[0-9.]+|[0-9a-f:.]*:[0-9a-f:.]*") ? host : "93.184.216.34")));

    static final io.jobway.auth.SigningKeys SIGNING = io.jobway.auth.SigningKeys.of(new byte[32]);

    final ApiFunction function = new ApiFunction(new JobsApi(store, queue, JOB_TYPES,
            CLOUD_GUARD, RETENTION, clock, health, null, null, null, null, unclaimed, null,
            new Cursors(SIGNING), new TokensApi(new io.jobway.auth.BrowserTokens(SIGNING), clock),
            io.jobway.limits.TenantQuotas.none(), null));
    // routes on other tables: end to end

    HttpResult submit(String tenant, String body) {
        return submit(tenant, body, Map.of());
    }

    HttpResult submit(String tenant, String body, Map<String, String> headers) {
        return send(request("POST", "/v1/jobs", "/v1/jobs", tenant, null, null, headers, body));
    }

    HttpResult get(String tenant, String jobId) {
        return send(request("GET", "/v1/jobs/{id}", "/v1/jobs/" + jobId, tenant, Map.of("id", jobId), null, Map.of(),
                null));
    }

    HttpResult list(String tenant, Map<String, String> query) {
        return send(request("GET", "/v1/jobs", "/v1/jobs", tenant, null, query, Map.of(), null));
    }

    HttpResult cancel(String tenant, String jobId) {
        return send(request("POST", "/v1/jobs/{id}/cancel", "/v1/jobs/" + jobId + "/cancel", tenant,
                Map.of("id", jobId), null, Map.of(), null));
    }

    HttpResult retry(String tenant, String jobId) {
        return send(request("POST", "/v1/jobs/{id}/retry", "/v1/jobs/" + jobId + "/retry", tenant,
                Map.of("id", jobId), null, Map.of(), null));
    }

    HttpResult health() {
        return send(request("GET", "/v1/health", "/v1/health", null, null, null, Map.of(), null));
    }

    /** The event as API Gateway sends it: written by Lambda's own serializer, then handed over as bytes. */
    HttpResult send(APIGatewayV2HTTPEvent event) {
        var json = new ByteArrayOutputStream();
        LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, ApiHarness.class.getClassLoader())
                .toJson(event, json);
        return send(json.toByteArray());
    }

    /** Event bytes in; the response read the way API Gateway reads it. */
    HttpResult send(byte[] event) {
        var out = new ByteArrayOutputStream();
        try {
            function.handleRequest(new ByteArrayInputStream(event), out,
                    new FakeLambdaContext("jobway-ApiFunction", Duration.ofSeconds(10)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonNode response = Json.parse(out.toString(StandardCharsets.UTF_8));
        Map<String, String> headers = new HashMap<>();
        response.path("headers").properties().forEach(h -> headers.put(h.getKey(), h.getValue().asText()));
        assertThat(response.path("isBase64Encoded").asBoolean(true)).as("isBase64Encoded").isFalse();
        return new HttpResult(response.path("statusCode").asInt(), headers,
                response.hasNonNull("body") ? response.get("body").asText() : null);
    }

    /** An event shaped as API Gateway sends it; {@code tenant} null means the route had no authorizer. */
    static APIGatewayV2HTTPEvent request(String method, String route, String path, String tenant,
                                         Map<String, String> pathParameters, Map<String, String> query,
                                         Map<String, String> headers, String body) {
        return request(method, route, path, tenant, io.jobway.auth.Scopes.ALL, pathParameters, query, headers, body);
    }

    /** The same, from a key holding {@code scopes} (the authorizer passes them on, comma-separated). */
    static APIGatewayV2HTTPEvent request(String method, String route, String path, String tenant, Set<String> scopes,
                                         Map<String, String> pathParameters, Map<String, String> query,
                                         Map<String, String> headers, String body) {
        Map<String, String> allHeaders = new HashMap<>(Map.of("host", "r8k2m4p6q1.execute-api.us-east-1.amazonaws.com",
                "accept", "application/json"));
        headers.forEach((name, value) -> allHeaders.put(name.toLowerCase(), value));
        if (body != null) {
            allHeaders.putIfAbsent("content-type", "application/json");
        }
        var context = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withAccountId("123456789012").withApiId("r8k2m4p6q1").withStage("$default")
                .withRouteKey(method + " " + route).withRequestId("req-1").withTimeEpoch(System.currentTimeMillis())
                .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path)
                        .withProtocol("HTTP/1.1").withSourceIp("203.0.113.7").build());
        if (tenant != null) {
            context.withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                    .withLambda(Map.of("tenantId", tenant, "keyId", "k1", "scopes", String.join(",", scopes))).build());
        }
        StringBuilder rawQuery = new StringBuilder();
        if (query != null) {
            query.forEach((k, v) -> rawQuery.append(rawQuery.isEmpty() ? "" : "&").append(k).append('=').append(v));
        }
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0").withRouteKey(method + " " + route).withRawPath(path)
                .withRawQueryString(rawQuery.toString()).withHeaders(allHeaders)
                .withQueryStringParameters(query).withPathParameters(pathParameters)
                .withBody(body).withIsBase64Encoded(false).withRequestContext(context.build())
                .build();
    }

    /** Every job the tenant has, newest first. */
    List<Job> jobsOf(String tenant) {
        return store.list(tenant, new JobQuery(null, null, JobQuery.MAX_LIMIT, null)).items();
    }

    /** Bodies of the messages visible in the jobs queue now (reading them hides them for a minute). */
    List<String> visibleMessages() {
        return queue.receive(10, Duration.ofMinutes(1)).stream().map(ReceivedMessage::body).toList();
    }

    record HttpResult(int status, Map<String, String> headers, String body) {
        JsonNode json() {
            return Json.parse(body);
        }

        String header(String name) {
            return headers.get(name);
        }

        /** The {@code field} of each entry of a problem's {@code errors}. */
        List<String> errorFields() {
            List<String> fields = new ArrayList<>();
            JsonNode errors = json().get("errors");
            if (errors != null) {
                errors.forEach(e -> fields.add(e.get("field").asText()));
            }
            return fields;
        }

        boolean isProblem() {
            return "application/problem+json".equals(header("content-type")) && json().get("status").asInt() == status
                    && json().get("type").asText().startsWith("urn:jobway:problem:") && json().hasNonNull("title")
                    && json().hasNonNull("detail");
        }

        String jobId() {
            return json().get("jobId").asText();
        }
    }

    static final class FakeHealthCheck implements HealthCheck {
        boolean healthy = true;

        @Override
        public boolean ok() {
            return healthy;
        }

        @Override
        public ObjectNode report() {
            ObjectNode report = Json.object().put("status", healthy ? "ok" : "degraded").put("version", "test");
            report.putObject("dependencies").putObject("jobsTable").put("status", healthy ? "ok" : "error");
            return report;
        }
    }
}
