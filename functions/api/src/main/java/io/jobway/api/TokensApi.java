package io.jobway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobway.auth.BrowserTokens;
import io.jobway.events.HttpApiRequest;
import io.jobway.events.HttpApiResponse;
import io.jobway.job.JobIds;
import io.jobway.json.Json;
import io.jobway.obs.Log;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Browser tokens ({@link BrowserTokens}): {@code POST /v1/tokens} with {@code {jobIds, expiresInSeconds?}}, called by
 * an app's backend with its key, answers a token a web page can hold. The token reads those jobs
 * ({@code GET /v1/jobs/{id}}) and subscribes to their events over WebSocket, and nothing else; {@link #admit} is the
 * API's half of that rule.
 */
final class TokensApi {
    static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(15);
    /** The one route a browser token opens. */
    static final String TOKEN_ROUTE = "GET /v1/jobs/{id}";
    private static final Set<String> FIELDS = Set.of("jobIds", "expiresInSeconds");

    private final BrowserTokens tokens;
    private final Clock clock;

    TokensApi(BrowserTokens tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    HttpApiResponse create(HttpApiRequest request) {
        JsonNode body = JsonBodies.object(request.body(), "{\"jobIds\": [\"<job id>\"], \"expiresInSeconds\": 900}");
        body.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                throw ApiProblem.invalid(name, "unknown field; allowed fields are " + new java.util.TreeSet<>(FIELDS));
            }
        });
        Set<String> jobIds = jobIds(body.get("jobIds"));
        Duration lifetime = lifetime(body.get("expiresInSeconds"));
        // whole seconds, as the token carries it: the answer's expiresAt is the token's
        Instant expiresAt = clock.instant().truncatedTo(ChronoUnit.SECONDS).plus(lifetime);
        String token = tokens.issue(new BrowserTokens.Grant(request.tenantId(), jobIds, expiresAt));
        Log.info("auth.token-issued", "tenantId", request.tenantId(), "jobs", jobIds.size(),
                "expiresInSeconds", lifetime.toSeconds());
        ObjectNode answer = Json.object().put("token", token).put("expiresAt", expiresAt.toString());
        jobIds.forEach(answer.putArray("jobIds")::add);
        return HttpApiResponse.json(201, answer);
    }

    /** A request made with a browser token goes on only to {@link #TOKEN_ROUTE}, for one of its jobs. */
    void admit(HttpApiRequest request) {
        BrowserTokens.Grant grant = request.grant();
        if (!request.routeKey().equals(TOKEN_ROUTE) || !grant.jobIds().contains(request.pathParameters().get("id"))) {
            throw new ApiProblem(403, "forbidden", "Forbidden", "a browser token reads only the jobs it names, with "
                    + TOKEN_ROUTE + "; this request is " + request.routeKey(), List.of(), Map.of());
        }
    }

    private static Set<String> jobIds(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty() || node.size() > BrowserTokens.MAX_JOBS) {
            throw ApiProblem.invalid("jobIds", "must be an array of 1 to " + BrowserTokens.MAX_JOBS + " job ids");
        }
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode id = node.get(i);
            if (!id.isTextual() || !JobIds.isValid(id.asText())) {
                throw ApiProblem.invalid("jobIds[" + i + "]", "must be a job id as the API returns it");
            }
            ids.add(id.asText());
        }
        return ids;
    }

    private static Duration lifetime(JsonNode node) {
        if (node == null) {
            return DEFAULT_LIFETIME;
        }
        long max = BrowserTokens.MAX_LIFETIME.toSeconds();
        if (!node.canConvertToLong() || !node.isIntegralNumber() || node.asLong() < 1 || node.asLong() > max) {
            throw ApiProblem.invalid("expiresInSeconds", "must be a whole number of seconds from 1 to " + max);
        }
        return Duration.ofSeconds(node.asLong());
    }
}
