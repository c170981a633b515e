package io.jobway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.core.type.TypeReference;
import io.jobway.api.ApiHarness.HttpResult;
import io.jobway.auth.ApiKey;
import io.jobway.auth.ApiKeys;
import io.jobway.auth.BrowserTokens;
import io.jobway.auth.InMemoryApiKeyStore;
import io.jobway.auth.SigningKeys;
import io.jobway.fixtures.FakeLambdaContext;
import io.jobway.fixtures.LambdaEvents;
import io.jobway.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuthorizerFunctionTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final String SAMPLE_KEY = "jw_smpl2026_Xq3vN8kLm4Rt7YpWz2Bc9DfH";

    private final InMemoryApiKeyStore keys = new InMemoryApiKeyStore();
    private final BrowserTokens tokens = new BrowserTokens(SigningKeys.of("the deployment's secret".getBytes()));
    private final AuthorizerFunction authorizer = new AuthorizerFunction(keys, tokens, null);
    private final String key = new ApiKeys().generate();
    private static final String JOB_A = "01900000-0000-7000-8000-00000000000a";
    private static final String JOB_B = "01900000-0000-7000-8000-00000000000b";

    @Test
    void a_valid_key_is_authorized_with_its_tenant_in_the_context() {
        keys.put(new ApiKey(ApiKeys.hash(key), ApiKeys.keyId(key), "tenant-a", Set.of("admin"), NOW, null));

        Map<String, Object> decision = authorize(Map.of("authorization", "Bearer " + key));

        assertThat(decision).containsEntry("isAuthorized", true);
        assertThat(decision.get("context")).isEqualTo(Map.of("tenantId", "tenant-a", "keyId", ApiKeys.keyId(key),
                "scopes", "admin"));
    }

    @Test
    void a_browser_token_is_authorized_for_its_tenant_with_no_scope_and_its_jobs_in_the_context() {
        Instant expires = Instant.now().plusSeconds(600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String token = tokens.issue(new BrowserTokens.Grant("tenant-a", Set.of(JOB_B, JOB_A), expires));

        Map<String, Object> decision = authorize(Map.of("authorization", "Bearer " + token));

        assertThat(decision).containsEntry("isAuthorized", true);
        assertThat(decision.get("context")).isEqualTo(Map.of("tenantId", "tenant-a", "keyId", "browser-token",
                "scopes", "", "tokenJobIds", JOB_A + "," + JOB_B, "expiresAt",
                Long.toString(expires.getEpochSecond())));
    }

    @Test
    void a_browser_token_that_expired_was_edited_or_was_signed_by_another_deployment_is_denied() {
        String expired = tokens.issue(new BrowserTokens.Grant("tenant-a", Set.of(JOB_A), Instant.now().minusSeconds(1)));
        String good = tokens.issue(new BrowserTokens.Grant("tenant-a", Set.of(JOB_A), Instant.now().plusSeconds(600)));
        String claims = good.substring(BrowserTokens.PREFIX.length(), good.indexOf('.'));
        String otherTenant = new String(java.util.Base64.getUrlDecoder().decode(claims)).replace("tenant-a", "tenant-b");
        String edited = BrowserTokens.PREFIX + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                otherTenant.getBytes()) + good.substring(good.indexOf('.'));
        String foreign = new BrowserTokens(SigningKeys.of("another deployment".getBytes())).issue(
                new BrowserTokens.Grant("tenant-a", Set.of(JOB_A), Instant.now().plusSeconds(600)));

        for (String token : java.util.List.of(expired, edited, foreign, BrowserTokens.PREFIX, good + "x")) {
            assertThat(authorize(Map.of("authorization", "Bearer " + token))).as(token)
                    .containsEntry("isAuthorized", false);
        }
        assertThat(authorize(Map.of("authorization", "Bearer " + good))).containsEntry("isAuthorized", true);
    }

    @Test
    void a_use_is_recorded_on_the_key_and_not_written_again_within_the_minute() {
        keys.put(new ApiKey(ApiKeys.hash(key), ApiKeys.keyId(key), "tenant-a", Set.of(), NOW, null));

        authorize(Map.of("authorization", "Bearer " + key));
        java.time.Instant first = keys.findByHash(ApiKeys.hash(key)).orElseThrow().lastUsedAt();
        authorize(Map.of("authorization", "Bearer " + key));

        assertThat(first).isNotNull().isAfter(java.time.Instant.now().minusSeconds(60));
        assertThat(keys.findByHash(ApiKeys.hash(key)).orElseThrow().lastUsedAt()).as("within the minute")
                .isEqualTo(first);
    }

    @Test
    void the_scheme_and_the_header_name_are_case_insensitive() {
        keys.put(new ApiKey(ApiKeys.hash(key), ApiKeys.keyId(key), "tenant-a", Set.of(), NOW, null));

        assertThat(authorize(Map.of("Authorization", "bearer " + key))).containsEntry("isAuthorized", true);
    }

    @Test
    void an_unknown_key_is_not_authorized() {
        keys.put(new ApiKey(ApiKeys.hash(key), ApiKeys.keyId(key), "tenant-a", Set.of(), NOW, null));

        Map<String, Object> decision = authorize(Map.of("authorization", "Bearer " + new ApiKeys().generate()));

        assertThat(decision).isEqualTo(Map.of("isAuthorized", false));
    }

    @Test
    void a_revoked_key_is_not_authorized() {
        keys.put(new ApiKey(ApiKeys.hash(key), ApiKeys.keyId(key), "tenant-a", Set.of(), NOW, null));
        keys.revoke(ApiKeys.keyId(key), NOW.plusSeconds(60));

        assertThat(authorize(Map.of("authorization", "Bearer " + key))).isEqualTo(Map.of("isAuthorized", false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc"})
    void a_missing_or_non_bearer_credential_is_not_authorized(String authorization) {
        keys.put(new ApiKey(ApiKeys.hash(key), ApiKeys.keyId(key), "tenant-a", Set.of(), NOW, null));

        assertThat(authorize(Map.of("authorization", authorization))).isEqualTo(Map.of("isAuthorized", false));
    }

    @Test
    void a_request_without_an_authorization_header_is_not_authorized() {
        keys.put(new ApiKey(ApiKeys.hash(key), ApiKeys.keyId(key), "tenant-a", Set.of(), NOW, null));

        assertThat(authorize(Map.of("x-api-key", key))).isEqualTo(Map.of("isAuthorized", false));
        assertThat(decide(new APIGatewayV2CustomAuthorizerEvent())).isEqualTo(Map.of("isAuthorized", false));
    }

    @Test
    void the_sample_request_event_is_authorized_for_its_key() {
        keys.put(new ApiKey(ApiKeys.hash(SAMPLE_KEY), ApiKeys.keyId(SAMPLE_KEY), "tenant-sample", Set.of(), NOW,
                null));
        var event = LambdaEvents.load("authorizer-request.json", APIGatewayV2CustomAuthorizerEvent.class);

        Map<String, Object> decision = decide(sampleEvent());

        assertThat(event.getType()).isEqualTo("REQUEST");
        assertThat(event.getIdentitySource()).containsExactly("Bearer " + SAMPLE_KEY);
        assertThat(decision).containsEntry("isAuthorized", true);
        assertThat(decision.get("context")).as("a key stored without scopes acts with jobs:read and jobs:write")
                .isEqualTo(Map.of("tenantId", "tenant-sample", "keyId", "smpl2026", "scopes", "jobs:read,jobs:write"));
    }

    @Test
    void the_sample_request_event_is_refused_when_its_key_is_unknown() {
        assertThat(decide(sampleEvent())).isEqualTo(Map.of("isAuthorized", false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"REQUEST\"", "null"})
    void an_event_that_is_not_a_json_object_is_refused_saying_so(String event) {
        assertThatThrownBy(() -> decide(event.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not an HTTP API authorizer event: expected a JSON object");
    }

    @Test
    void the_authorizer_context_is_the_tenant_the_api_acts_for() {
        keys.put(new ApiKey(ApiKeys.hash(key), ApiKeys.keyId(key), "tenant-from-key", Set.of(), NOW, null));
        @SuppressWarnings("unchecked")
        Map<String, Object> context = (Map<String, Object>) authorize(Map.of("authorization", "Bearer " + key))
                .get("context");
        ApiHarness api = new ApiHarness();
        var submit = ApiHarness.request("POST", "/v1/jobs", "/v1/jobs", null, null, null, Map.of(), "{\"type\":\"echo\"}");
        submit.getRequestContext().setAuthorizer(
                APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder().withLambda(new HashMap<>(context)).build());

        HttpResult response = api.send(submit);

        assertThat(response.status()).isEqualTo(202);
        assertThat(api.store.find(response.jobId()).orElseThrow().tenantId()).isEqualTo("tenant-from-key");
    }

    private Map<String, Object> authorize(Map<String, String> headers) {
        return decide(APIGatewayV2CustomAuthorizerEvent.builder()
                .withVersion("2.0").withType("REQUEST").withRouteKey("POST /v1/jobs").withRawPath("/v1/jobs")
                .withHeaders(headers).build());
    }

    /** The event as API Gateway sends it: written by Lambda's own serializer, then handed over as bytes. */
    private Map<String, Object> decide(APIGatewayV2CustomAuthorizerEvent event) {
        var json = new ByteArrayOutputStream();
        LambdaEventSerializers.serializerFor(APIGatewayV2CustomAuthorizerEvent.class, getClass().getClassLoader())
                .toJson(event, json);
        return decide(json.toByteArray());
    }

    /** Event bytes in; the answer read the way API Gateway reads it. */
    private Map<String, Object> decide(byte[] event) {
        var out = new ByteArrayOutputStream();
        try {
            authorizer.handleRequest(new ByteArrayInputStream(event), out, context());
            return Json.mapper().readValue(out.toByteArray(), new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] sampleEvent() {
        try {
            return Files.readAllBytes(LambdaEvents.path("authorizer-request.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FakeLambdaContext context() {
        return new FakeLambdaContext("jobway-AuthorizerFunction", Duration.ofSeconds(5));
    }
}
