package io.jobway.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.core.type.TypeReference;
import io.jobway.api.ApiHarness.HttpResult;
import io.jobway.auth.BrowserTokens;
import io.jobway.auth.InMemoryApiKeyStore;
import io.jobway.fixtures.FakeLambdaContext;
import io.jobway.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/tokens} with a tag, and what its token opens: each request goes through the real authorizer
 * (the token in, its context out) and then the API, as API Gateway chains them.
 */
class TagTokensTest {
    private static final String TENANT = "tenant-a";
    private final ApiHarness api = new ApiHarness();
    private final AuthorizerFunction authorizer = new AuthorizerFunction(new InMemoryApiKeyStore(),
            new BrowserTokens(ApiHarness.SIGNING), null);

    @Test
    void POST_tokens_with_a_tag_answers_a_token_naming_the_tag_instead_of_job_ids() {
        HttpResult response = mint("{\"tag\":\"user:42\",\"expiresInSeconds\":600}");

        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertThat(response.json().get("tag").asText()).isEqualTo("user:42");
        assertThat(response.json().has("jobIds")).isFalse();
        assertThat(Instant.parse(response.json().get("expiresAt").asText()))
                .isEqualTo(api.clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(600));
        BrowserTokens.Grant grant = new BrowserTokens(ApiHarness.SIGNING)
                .verify(response.json().get("token").asText(), api.clock.instant()).orElseThrow();
        assertThat(grant.tag()).isEqualTo("user:42");
        assertThat(grant.jobIds()).isEmpty();
        assertThat(grant.tenantId()).isEqualTo(TENANT);
    }

    @Test
    void POST_tokens_takes_exactly_one_of_jobIds_and_tag_and_names_the_field_otherwise() {
        String job = api.submit(TENANT, "{\"type\":\"echo\"}").jobId();
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("{}", "jobIds");
        bad.put("{\"expiresInSeconds\":60}", "jobIds");
        bad.put("{\"jobIds\":[\"" + job + "\"],\"tag\":\"user:42\"}", "tag");
        bad.put("{\"tag\":\"\"}", "tag");
        bad.put("{\"tag\":\"user 42\"}", "tag");
        bad.put("{\"tag\":42}", "tag");
        bad.put("{\"tag\":null}", "tag");
        bad.put("{\"tag\":[\"user:42\"]}", "tag");
        bad.put("{\"tag\":\"" + "t".repeat(65) + "\"}", "tag");
        bad.put("{\"tag\":\"user:42\",\"expiresInSeconds\":3601}", "expiresInSeconds");

        bad.forEach((body, field) -> {
            HttpResult response = mint(body);
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.errorFields()).as(body).containsExactly(field);
        });
    }

    @Test
    void a_tag_token_reads_its_tenants_jobs_carrying_the_tag_and_any_other_job_is_404() {
        String tagged = api.submit(TENANT, "{\"type\":\"echo\",\"tags\":[\"other\",\"user:42\"]}").jobId();
        String untagged = api.submit(TENANT, "{\"type\":\"echo\"}").jobId();
        String otherTag = api.submit(TENANT, "{\"type\":\"echo\",\"tags\":[\"user:43\"]}").jobId();
        String otherTenants = api.submit("tenant-b", "{\"type\":\"echo\",\"tags\":[\"user:42\"]}").jobId();
        String token = tokenForTag("user:42");

        HttpResult read = get(token, tagged);
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        assertThat(read.jobId()).isEqualTo(tagged);
        for (String other : List.of(untagged, otherTag, otherTenants)) {
            HttpResult refused = get(token, other);
            assertThat(refused.status()).as(other).isEqualTo(404);
            assertThat(refused.body()).doesNotContain("\"status\":\"queued\"");
        }
    }

    @Test
    void a_tag_token_lists_with_its_tag_and_is_refused_a_list_without_it_or_with_another() {
        String tagged = api.submit(TENANT, "{\"type\":\"echo\",\"tags\":[\"user:42\"]}").jobId();
        api.submit(TENANT, "{\"type\":\"echo\"}");
        api.submit("tenant-b", "{\"type\":\"echo\",\"tags\":[\"user:42\"]}");
        String token = tokenForTag("user:42");

        HttpResult listed = list(token, Map.of("tag", "user:42"));
        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        listed.json().get("items").forEach(item -> ids.add(item.get("jobId").asText()));
        assertThat(ids).containsExactly(tagged);
        assertThat(list(token, Map.of("tag", "user:42", "status", "queued")).status()).isEqualTo(200);

        for (Map<String, String> query : List.<Map<String, String>>of(Map.of(), Map.of("tag", "user:43"),
                Map.of("type", "echo"))) {
            HttpResult refused = list(token, query);
            assertThat(refused.status()).as(query.toString()).isEqualTo(403);
            assertThat(refused.body()).contains("browser token").doesNotContain(tagged);
        }
    }

    @Test
    void a_tag_token_may_do_nothing_else() {
        String tagged = api.submit(TENANT, "{\"type\":\"echo\",\"tags\":[\"user:42\"]}").jobId();
        String token = tokenForTag("user:42");
        Map<String, HttpResult> refused = new LinkedHashMap<>();
        refused.put("cancel its job", as(token, ApiHarness.request("POST", "/v1/jobs/{id}/cancel",
                "/v1/jobs/" + tagged + "/cancel", TENANT, Map.of("id", tagged), null, Map.of(), null)));
        refused.put("submit a tagged job", as(token, ApiHarness.request("POST", "/v1/jobs", "/v1/jobs", TENANT,
                null, null, Map.of(), "{\"type\":\"echo\",\"tags\":[\"user:42\"]}")));
        refused.put("mint another token", as(token, ApiHarness.request("POST", "/v1/tokens", "/v1/tokens", TENANT,
                null, null, Map.of(), "{\"tag\":\"user:42\"}")));
        refused.put("its job's deliveries", as(token, ApiHarness.request("GET", "/v1/jobs/{id}/deliveries",
                "/v1/jobs/" + tagged + "/deliveries", TENANT, Map.of("id", tagged), null, Map.of(), null)));

        refused.forEach((what, response) -> {
            assertThat(response.status()).as(what).isEqualTo(403);
            assertThat(response.body()).as(what).contains("browser token");
        });
        assertThat(api.jobsOf(TENANT)).hasSize(1);
        assertThat(api.store.find(tagged).orElseThrow().status().wireName()).isEqualTo("queued");
    }

    @Test
    void an_expired_tag_token_reads_nothing_even_while_the_authorizers_allow_is_cached() {
        String tagged = api.submit(TENANT, "{\"type\":\"echo\",\"tags\":[\"user:42\"]}").jobId();
        Instant expires = Instant.now().plusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String token = new BrowserTokens(ApiHarness.SIGNING).issue(BrowserTokens.Grant.ofTag(TENANT, "user:42",
                expires));
        APIGatewayV2HTTPEvent read = withContext(ApiHarness.request("GET", "/v1/jobs/{id}", "/v1/jobs/" + tagged,
                TENANT, Map.of("id", tagged), null, Map.of(), null), authorize(token));

        api.clock.advance(Duration.between(api.clock.instant(), expires).plusSeconds(1));
        HttpResult expired = api.send(read);

        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.body()).contains("expired").doesNotContain(tagged + "\",\"type\"");
    }

    @Test
    void the_authorizer_passes_a_tag_tokens_tag_and_no_job_ids_and_denies_an_edited_one() {
        String token = tokenForTag("user:42");
        String claims = token.substring(BrowserTokens.PREFIX.length(), token.indexOf('.'));
        String forged = new String(java.util.Base64.getUrlDecoder().decode(claims)).replace("user:42", "user:43");
        String edited = BrowserTokens.PREFIX + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(forged.getBytes()) + token.substring(token.indexOf('.'));

        Map<String, String> context = authorize(token);
        Map<String, Object> denied = decide(edited);

        assertThat(context).containsEntry("tokenTag", "user:42").containsEntry("tenantId", TENANT)
                .containsEntry("scopes", "").doesNotContainKey("tokenJobIds");
        assertThat(denied).containsEntry("isAuthorized", false);
    }

    private HttpResult mint(String body) {
        return api.send(ApiHarness.request("POST", "/v1/tokens", "/v1/tokens", TENANT, null, null, Map.of(), body));
    }

    private String tokenForTag(String tag) {
        HttpResult response = mint("{\"tag\":\"" + tag + "\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json().get("token").asText();
    }

    private HttpResult get(String token, String jobId) {
        return as(token, ApiHarness.request("GET", "/v1/jobs/{id}", "/v1/jobs/" + jobId, TENANT, Map.of("id", jobId),
                null, Map.of(), null));
    }

    private HttpResult list(String token, Map<String, String> query) {
        return as(token, ApiHarness.request("GET", "/v1/jobs", "/v1/jobs", TENANT, null, query, Map.of(), null));
    }

    /** The request sent with {@code token}: its context is what the authorizer answers for it. */
    private HttpResult as(String token, APIGatewayV2HTTPEvent event) {
        return api.send(withContext(event, authorize(token)));
    }

    private static APIGatewayV2HTTPEvent withContext(APIGatewayV2HTTPEvent event, Map<String, String> context) {
        event.getRequestContext().setAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                .withLambda(new LinkedHashMap<>(context)).build());
        return event;
    }

    @SuppressWarnings("unchecked")
    private Map<String, String> authorize(String token) {
        Map<String, Object> decision = decide(token);
        assertThat(decision).containsEntry("isAuthorized", true);
        return (Map<String, String>) decision.get("context");
    }

    private Map<String, Object> decide(String token) {
        var json = new ByteArrayOutputStream();
        LambdaEventSerializers.serializerFor(APIGatewayV2CustomAuthorizerEvent.class, getClass().getClassLoader())
                .toJson(APIGatewayV2CustomAuthorizerEvent.builder().withVersion("2.0").withType("REQUEST")
                        .withRouteKey("GET /v1/jobs").withRawPath("/v1/jobs")
                        .withHeaders(Map.of("authorization", "Bearer " + token)).build(), json);
        var out = new ByteArrayOutputStream();
        try {
            authorizer.handleRequest(new ByteArrayInputStream(json.toByteArray()), out,
                    new FakeLambdaContext("jobway-AuthorizerFunction", Duration.ofSeconds(10)));
            return Json.mapper().readValue(out.toByteArray(), new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
