package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jobway.local.LocalRuntime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * The answers every operation documents that no functional test is about: 401 without a credential, 403 with an
 * unknown one, 413 over API Gateway's 10 MiB, 415 for a body that is not JSON, 429 over a tenant's quota, and 503
 * when storage fails. Each operation of docs/openapi.yaml is called for each of those it documents, and must get
 * it; {@link DocumentedStatusesTest} then finds every documented answer produced by some test.
 */
class ContractStatusesE2ETest {
    private static final String JOB = "00000000-0000-7000-8000-000000000000";
    private static final String SOURCE = "hs_" + "a".repeat(24);
    /** A body each operation accepts as far as its first storage call. */
    private static final Map<String, String> VALID = Map.ofEntries(
            Map.entry("POST /v1/jobs", "{\"type\":\"echo\"}"),
            // a keyed item goes alone, so a storage failure fails the call, not only the item
            Map.entry("POST /v1/jobs/batch", "{\"jobs\":[{\"type\":\"echo\",\"idempotencyKey\":\"contract\"}]}"),
            Map.entry("POST /v1/jobs/{id}/cancel", "{}"),
            Map.entry("POST /v1/jobs/{id}/retry", "{}"),
            Map.entry("POST /v1/hook-sources", "{\"scheme\":\"stripe\",\"secret\":\"whsec_contract\",\"jobType\":\"echo\"}"),
            Map.entry("POST /v1/hook-sources/{id}/rotate", "{\"secret\":\"whsec_contract_2\"}"),
            Map.entry("POST /v1/hooks/{source}", "{\"id\":\"evt_contract\"}"),
            Map.entry("PUT /v1/limits/{type}", "{\"maxRunning\":1}"),
            Map.entry("POST /v1/schedules", "{\"name\":\"contract\",\"cron\":\"@daily\",\"job\":{\"type\":\"echo\"}}"),
            Map.entry("PUT /v1/schedules/{name}", "{\"cron\":\"@daily\",\"job\":{\"type\":\"echo\"}}"),
            Map.entry("POST /v1/keys", "{}"),
            Map.entry("POST /v1/tokens", "{\"jobIds\":[\"" + JOB + "\"]}"),
            Map.entry("POST /v1/dlq/redrive", "{\"jobIds\":[\"" + JOB + "\"]}"),
            Map.entry("POST /v1/dlq/purge", "{\"olderThanDays\":1}"));
    private static final String TOO_LARGE = "{\"x\":\"" + "a".repeat(10 * 1024 * 1024) + "\"}";

    /** Set once the walks have run in this JVM, for {@link DocumentedStatusesTest}. */
    static volatile boolean ran;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** An operation of the document: its method, path template, and the statuses it documents. */
    record Operation(String method, String template, Set<String> statuses) {
        String key() {
            return method + " " + template;
        }

        String path() {
            return template.replace("{id}", template.startsWith("/v1/hook-sources") ? SOURCE : JOB)
                    .replace("{source}", SOURCE).replace("{name}", "contract").replace("{keyId}", "none")
                    .replace("{type}", "echo");
        }

        boolean keyed() {
            return !Set.of("GET /v1/health", "GET /v1/openapi.yaml", "POST /v1/hooks/{source}").contains(key());
        }
    }

    @SuppressWarnings("unchecked")
    static List<Operation> operations() throws Exception {
        List<Operation> operations = new ArrayList<>();
        var paths = (Map<String, Map<String, Object>>) OpenApiDocumentTest.document().get("paths");
        paths.forEach((template, methods) -> methods.forEach((method, operation) -> {
            if (operation instanceof Map<?, ?> described && described.get("responses") instanceof Map<?, ?> responses) {
                Set<String> statuses = new java.util.TreeSet<>();
                responses.keySet().forEach(code -> statuses.add(String.valueOf(code)));
                operations.add(new Operation(method.toUpperCase(java.util.Locale.ROOT), template, statuses));
            }
        }));
        return operations;
    }

    @Test
    void without_a_credential_401_with_an_unknown_one_403_over_10_mib_413_and_not_json_415() throws Exception {
        LocalJobway jobway = LocalJobway.shared();
        Map<String, String> wrong = new TreeMap<>();
        for (Operation operation : operations()) {
            boolean body = !operation.method().equals("GET") && !operation.method().equals("DELETE");
            if (operation.keyed() && operation.statuses().contains("401")) {
                expect(wrong, operation, "401", send(jobway, operation, null, body ? "{}" : null, "application/json"));
            }
            if (operation.keyed() && operation.statuses().contains("403")) {
                expect(wrong, operation, "403", send(jobway, operation, "jw_unknown_unknownunknownunknown",
                        body ? "{}" : null, "application/json"));
            }
            if (operation.statuses().contains("413")) {
                expect(wrong, operation, "413", send(jobway, operation, LocalJobway.KEY_A, TOO_LARGE, "application/json"));
            }
            if (operation.statuses().contains("415") && !operation.key().equals("POST /v1/hooks/{source}")) {
                expect(wrong, operation, "415", send(jobway, operation, LocalJobway.KEY_A, "type=echo",
                        "application/x-www-form-urlencoded"));
            }
        }
        ran = true;
        assertThat(wrong).as("operations that did not answer as documented").isEmpty();
    }

    @Test
    void over_the_tenant_quotas_every_operation_answers_429() throws Exception {
        try (LocalJobway jobway = LocalJobway.start(LocalRuntime.Options.inMemory(LocalJobway.templatePath())
                .withStackName("jobway-contract-quota")
                .withParameters(Map.of("TenantRequestsPerMinute", "1", "TenantJobsPerDay", "1")))) {
            assertThat(jobway.get("/v1/jobs", LocalJobway.KEY_A).status()).as("the quota's one request").isEqualTo(200);
            Map<String, String> wrong = new TreeMap<>();
            for (Operation operation : operations()) {
                if (operation.keyed() && operation.statuses().contains("429")) {
                    expect(wrong, operation, "429", send(jobway, operation, LocalJobway.KEY_A,
                            VALID.get(operation.key()), "application/json"));
                }
            }
            assertThat(wrong).as("operations that did not answer 429").isEmpty();
        }
    }

    @Test
    void when_storage_fails_every_operation_that_uses_it_answers_503() throws Exception {
        assumeTrue(E2eTarget.current() == E2eTarget.EMBEDDED, "storage failures are injected into this JVM's functions");
        ExecutionInterceptor failing = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                throw SdkClientException.create("storage is down (injected by ContractStatusesE2ETest)");
            }
        };
        try (LocalJobway jobway = LocalJobway.start(LocalRuntime.Options.inMemory(LocalJobway.templatePath())
                .withStackName("jobway-contract-down")
                .withInterceptors(function -> function.equals("ApiFunction") ? List.of(failing) : List.of()))) {
            Map<String, String> wrong = new TreeMap<>();
            for (Operation operation : operations()) {
                if (operation.statuses().contains("503")) {
                    expect(wrong, operation, "503", send(jobway, operation, LocalJobway.KEY_A,
                            VALID.get(operation.key()), "application/json"));
                }
            }
            assertThat(wrong).as("operations that did not answer 503").isEmpty();
        }
    }

    /**
     * When the API function's concurrency is used up (32 running, 64 waiting: here, health checks held by a
     * storage call that does not return), every route of it answers 429 with Retry-After at once, as API Gateway
     * does, even those that need no storage.
     */
    @Test
    void with_the_api_functions_concurrency_used_up_every_route_answers_429() throws Exception {
        assumeTrue(E2eTarget.current() == E2eTarget.EMBEDDED, "storage calls are held in this JVM's functions");
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        ExecutionInterceptor holding = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                try {
                    release.await(20, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        java.util.concurrent.atomic.AtomicBoolean hold = new java.util.concurrent.atomic.AtomicBoolean();
        try (LocalJobway jobway = LocalJobway.start(LocalRuntime.Options.inMemory(LocalJobway.templatePath())
                .withStackName("jobway-contract-busy").withInterceptors(function -> function.equals("ApiFunction")
                        ? List.of(new ExecutionInterceptor() {
                            @Override
                            public void beforeTransmission(Context.BeforeTransmission context,
                                                           ExecutionAttributes attributes) {
                                if (hold.get()) {
                                    holding.beforeTransmission(context, attributes);
                                }
                            }
                        }) : List.of()))) {
            hold.set(true);
            List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
            for (int i = 0; i < io.jobway.local.lambda.LocalFunction.MAX_CONCURRENCY
                    + io.jobway.local.lambda.LocalFunction.MAX_WAITING; i++) {
                held.add(http.sendAsync(HttpRequest.newBuilder(URI.create(jobway.baseUrl() + "/v1/health")).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            Thread.sleep(2_000); // all of them in, running or waiting
            Map<String, String> wrong = new TreeMap<>();
            for (Operation operation : operations()) {
                if (operation.statuses().contains("429") && !operation.keyed()) {
                    HttpResponse<String> answer = send(jobway, operation, null, VALID.get(operation.key()),
                            "application/json");
                    expect(wrong, operation, "429", answer);
                    if (answer.statusCode() == 429 && answer.headers().firstValue("retry-after").isEmpty()) {
                        wrong.put(operation.key(), "429 without Retry-After");
                    }
                }
            }
            release.countDown();
            hold.set(false);
            held.forEach(java.util.concurrent.CompletableFuture::join);
            assertThat(wrong).as("routes that were not throttled").isEmpty();
        }
    }

    private static void expect(Map<String, String> wrong, Operation operation, String status,
                               HttpResponse<String> answer) {
        if (!String.valueOf(answer.statusCode()).equals(status)) {
            String body = answer.body() == null ? "" : answer.body();
            wrong.put(operation.key() + " (expected " + status + ")", answer.statusCode() + " "
                    + body.substring(0, Math.min(200, body.length())));
        }
    }

    private HttpResponse<String> send(LocalJobway jobway, Operation operation, String key, String body,
                                      String contentType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(jobway.baseUrl() + operation.path()))
                .timeout(Duration.ofSeconds(30));
        if (key != null) {
            request.header("authorization", "Bearer " + key);
        }
        if (body != null) {
            request.header("content-type", contentType);
        }
        request.method(operation.method(), body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
