package io.jobway.api;

import io.jobway.auth.Scopes;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The scope each route of {@code /v1} needs, in one table: every route that {@link JobsApi} serves is here, and a
 * route missing from it is served to no one. Health and the OpenAPI document need no key; a hook intake is authenticated by its sender's
 * signature, not a key.
 */
final class RouteScopes {
    static final String NO_KEY = "";
    static final Map<String, String> NEEDED = new TreeMap<>(Map.ofEntries(
            Map.entry("GET /v1/health", NO_KEY),
            Map.entry("GET /v1/openapi.yaml", NO_KEY),
            Map.entry("POST /v1/hooks/{source}", NO_KEY),
            Map.entry("POST /v1/jobs", Scopes.JOBS_WRITE),
            Map.entry("POST /v1/jobs/batch", Scopes.JOBS_WRITE),
            Map.entry("POST /v1/jobs/{id}/cancel", Scopes.JOBS_WRITE),
            Map.entry("POST /v1/jobs/{id}/retry", Scopes.JOBS_WRITE),
            Map.entry("GET /v1/jobs", Scopes.JOBS_READ),
            Map.entry("GET /v1/jobs/{id}", Scopes.JOBS_READ),
            Map.entry("GET /v1/jobs/{id}/deliveries", Scopes.JOBS_READ),
            Map.entry("POST /v1/tokens", Scopes.JOBS_READ),
            Map.entry("GET /v1/schedules", Scopes.JOBS_READ),
            Map.entry("GET /v1/schedules/{name}", Scopes.JOBS_READ),
            Map.entry("POST /v1/schedules", Scopes.ADMIN),
            Map.entry("PUT /v1/schedules/{name}", Scopes.ADMIN),
            Map.entry("DELETE /v1/schedules/{name}", Scopes.ADMIN),
            Map.entry("POST /v1/webhook-secrets", Scopes.ADMIN),
            Map.entry("GET /v1/webhook-secrets", Scopes.ADMIN),
            Map.entry("POST /v1/hook-sources", Scopes.ADMIN),
            Map.entry("GET /v1/hook-sources", Scopes.ADMIN),
            Map.entry("POST /v1/hook-sources/{id}/rotate", Scopes.ADMIN),
            Map.entry("DELETE /v1/hook-sources/{id}", Scopes.ADMIN),
            Map.entry("PUT /v1/limits/{type}", Scopes.ADMIN),
            Map.entry("DELETE /v1/limits/{type}", Scopes.ADMIN),
            Map.entry("GET /v1/limits", Scopes.ADMIN),
            Map.entry("POST /v1/keys", Scopes.ADMIN),
            Map.entry("GET /v1/keys", Scopes.ADMIN),
            Map.entry("DELETE /v1/keys/{keyId}", Scopes.ADMIN),
            Map.entry("GET /v1/dlq", Scopes.ADMIN),
            Map.entry("POST /v1/dlq/redrive", Scopes.ADMIN),
            Map.entry("POST /v1/dlq/purge", Scopes.ADMIN),
            Map.entry("GET /v1/dlq/unclaimed", Scopes.ADMIN),
            Map.entry("GET /v1/stats", Scopes.ADMIN)));

    private RouteScopes() {
    }

    /** The scope the route needs, {@link #NO_KEY} for none; empty when there is no such route. */
    static Optional<String> needed(String routeKey) {
        return Optional.ofNullable(NEEDED.get(routeKey));
    }

    /** Throws 403, naming the scope, unless the key's scopes cover it. */
    static void require(String routeKey, Set<String> held) {
        String needed = NEEDED.get(routeKey);
        if (needed != null && !needed.equals(NO_KEY) && !Scopes.grants(held, needed)) {
            throw new ApiProblem(403, "forbidden", "Forbidden", routeKey + " needs a key with the '" + needed
                    + "' scope; this key has " + new java.util.TreeSet<>(held), java.util.List.of(), Map.of());
        }
    }
}
