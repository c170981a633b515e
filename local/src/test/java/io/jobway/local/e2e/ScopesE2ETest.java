package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobway.auth.Scopes;
import io.jobway.local.template.CfnTemplate;
import io.jobway.local.template.EventSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every route of the template, called with a key of every scope: a key without the route's scope gets 403 naming
 * it, and one with it gets past the check (whatever the route then answers). The expected scopes are written here
 * from the README's table, not read from the code that enforces them.
 */
class ScopesE2ETest {
    private static final LocalJobway jobway = LocalJobway.shared();
    private static final String TENANT = "tenant-scopes";
    private static final Map<String, Set<String>> KEYS = Map.of(
            "jw_scopesread_" + "secretsecretsecretsecret", Set.of(Scopes.JOBS_READ),
            "jw_scopeswrite_" + "secretsecretsecretsecret", Set.of(Scopes.JOBS_WRITE),
            "jw_scopesjobs_" + "secretsecretsecretsecret", Scopes.DEFAULT,
            "jw_scopesadmin_" + "secretsecretsecretsecret", Set.of(Scopes.ADMIN));
    private static final String NO_JOB = "00000000-0000-7000-8000-000000000000";

    /** A route, a concrete request to it, and the scope it needs. */
    private record Route(String method, String template, String path, String body, String scope) {
        String key() {
            return method + " " + template;
        }
    }

    private static final List<Route> ROUTES = List.of(
            new Route("POST", "/v1/jobs", "/v1/jobs", "{\"type\":\"echo\"}", Scopes.JOBS_WRITE),
            new Route("POST", "/v1/jobs/batch", "/v1/jobs/batch", "{\"jobs\":[{\"type\":\"echo\"}]}", Scopes.JOBS_WRITE),
            new Route("POST", "/v1/jobs/{id}/cancel", "/v1/jobs/" + NO_JOB + "/cancel", "{}", Scopes.JOBS_WRITE),
            new Route("POST", "/v1/jobs/{id}/retry", "/v1/jobs/" + NO_JOB + "/retry", "{}", Scopes.JOBS_WRITE),
            new Route("GET", "/v1/jobs", "/v1/jobs", null, Scopes.JOBS_READ),
            new Route("GET", "/v1/jobs", "/v1/jobs?tag=user:42", null, Scopes.JOBS_READ),
            new Route("GET", "/v1/jobs/{id}", "/v1/jobs/" + NO_JOB, null, Scopes.JOBS_READ),
            new Route("GET", "/v1/jobs/{id}/deliveries", "/v1/jobs/" + NO_JOB + "/deliveries", null, Scopes.JOBS_READ),
            new Route("POST", "/v1/tokens", "/v1/tokens", "{\"jobIds\":[\"" + NO_JOB + "\"]}", Scopes.JOBS_READ),
            new Route("POST", "/v1/tokens", "/v1/tokens", "{\"tag\":\"user:42\"}", Scopes.JOBS_READ),
            new Route("GET", "/v1/schedules", "/v1/schedules", null, Scopes.JOBS_READ),
            new Route("GET", "/v1/schedules/{name}", "/v1/schedules/none", null, Scopes.JOBS_READ),
            new Route("POST", "/v1/schedules", "/v1/schedules", "{}", Scopes.ADMIN),
            new Route("PUT", "/v1/schedules/{name}", "/v1/schedules/none", "{}", Scopes.ADMIN),
            new Route("DELETE", "/v1/schedules/{name}", "/v1/schedules/none", null, Scopes.ADMIN),
            new Route("POST", "/v1/webhook-secrets", "/v1/webhook-secrets", "{}", Scopes.ADMIN),
            new Route("GET", "/v1/webhook-secrets", "/v1/webhook-secrets", null, Scopes.ADMIN),
            new Route("POST", "/v1/hook-sources", "/v1/hook-sources", "{}", Scopes.ADMIN),
            new Route("GET", "/v1/hook-sources", "/v1/hook-sources", null, Scopes.ADMIN),
            new Route("POST", "/v1/hook-sources/{id}/rotate", "/v1/hook-sources/hs_none/rotate", "{}", Scopes.ADMIN),
            new Route("DELETE", "/v1/hook-sources/{id}", "/v1/hook-sources/hs_none", null, Scopes.ADMIN),
            new Route("PUT", "/v1/limits/{type}", "/v1/limits/echo", "{}", Scopes.ADMIN),
            new Route("DELETE", "/v1/limits/{type}", "/v1/limits/echo", null, Scopes.ADMIN),
            new Route("GET", "/v1/limits", "/v1/limits", null, Scopes.ADMIN),
            new Route("POST", "/v1/keys", "/v1/keys", "{\"scopes\":[\"jobs:read\"]}", Scopes.ADMIN),
            new Route("GET", "/v1/keys", "/v1/keys", null, Scopes.ADMIN),
            new Route("DELETE", "/v1/keys/{keyId}", "/v1/keys/none", null, Scopes.ADMIN),
            new Route("GET", "/v1/dlq", "/v1/dlq", null, Scopes.ADMIN),
            new Route("POST", "/v1/dlq/redrive", "/v1/dlq/redrive", "{\"jobIds\":[]}", Scopes.ADMIN),
            new Route("POST", "/v1/dlq/purge", "/v1/dlq/purge", "{\"olderThanDays\":9999}", Scopes.ADMIN),
            new Route("GET", "/v1/dlq/unclaimed", "/v1/dlq/unclaimed", null, Scopes.ADMIN),
            new Route("GET", "/v1/stats", "/v1/stats", null, Scopes.ADMIN));
    /** The routes no key opens: health, the OpenAPI document, and hook intake (the sender's signature is its key). */
    private static final Set<String> WITHOUT_KEY = Set.of("GET /v1/health", "GET /v1/openapi.yaml",
            "POST /v1/hooks/{source}");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void registerKeys() {
        E2eTarget.requireLocalRuntime("keys of chosen scopes are registered in the runtime");
        KEYS.forEach((key, scopes) -> jobway.local("keys of chosen scopes").registerKey(key, TENANT, scopes));
    }

    @Test
    void the_walk_covers_every_route_of_the_template() {
        Set<String> templateRoutes = new TreeSet<>();
        CfnTemplate.load(LocalJobway.templatePath()).functions().forEach(f -> f.eventsOfType(EventSource.HTTP_API)
                .forEach(e -> templateRoutes.add(e.property("Method") + " " + e.property("Path"))));
        Set<String> walked = ROUTES.stream().map(Route::key).collect(Collectors.toCollection(TreeSet::new));
        walked.addAll(WITHOUT_KEY);

        assertThat(walked).isEqualTo(templateRoutes);
    }

    @Test
    void every_route_refuses_a_key_without_its_scope_and_lets_one_with_it_through() throws Exception {
        List<String> wrong = new ArrayList<>();
        int calls = 0;
        for (Route route : ROUTES) {
            for (var key : KEYS.entrySet()) {
                boolean granted = Scopes.grants(key.getValue(), route.scope());
                HttpResponse<String> response = send(route, key.getKey());
                calls++;
                boolean refused = response.statusCode() == 403;
                if (granted == refused || refused && !response.body().contains("'" + route.scope() + "' scope")) {
                    wrong.add(route.key() + " with " + key.getValue() + ": " + response.statusCode() + " "
                            + response.body());
                }
            }
        }
        assertThat(wrong).as("routes that got the scope check wrong").isEmpty();
        assertThat(calls).isEqualTo(ROUTES.size() * KEYS.size());
    }

    private HttpResponse<String> send(Route route, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(jobway.baseUrl() + route.path()))
                .timeout(Duration.ofSeconds(30)).header("authorization", "Bearer " + key)
                .header("content-type", "application/json");
        request.method(route.method(), route.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(route.body()));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
