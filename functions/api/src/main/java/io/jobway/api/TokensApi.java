package io.jobway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobway.auth.BrowserTokens;
import io.jobway.events.HttpApiRequest;
import io.jobway.events.HttpApiResponse;
import io.jobway.job.JobIds;
import io.jobway.job.Tags;
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
 * Browser tokens ({@link BrowserTokens}): {@code POST /v1/tokens} with {@code {jobIds | tag, expiresInSeconds?}},
 * called by an app's backend with its key, answers a token a web page can hold. A token of job ids reads those jobs
 * ({@code GET /v1/jobs/{id}}) and subscribes to their events over WebSocket; a token of a tag reads the tenant's
 * jobs carrying the tag (one by id, or listed with {@code GET /v1/jobs?tag=<its tag>}) and subscribes to the tag;
 * and nothing else. {@link #admit} is the API's half of that rule (a tag token's job without the tag is then as
 * missing as another tenant's: JobsApi's own-job lookup asks {@link BrowserTokens.Grant#covers}).
 */
final class TokensApi {
    static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(15);
    /** The one route a browser token opens. */
    static final String TOKEN_ROUTE = "GET /v1/jobs/{id}";
    /** The route a tag's token opens besides, listing with its tag. */
    static final String TAG_LIST_ROUTE = "GET /v1/jobs";
    private static final Set<String> FIELDS = Set.of("jobIds", "tag", "expiresInSeconds");

    private final BrowserTokens tokens;
    private final Clock clock;

    TokensApi(BrowserTokens tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    HttpApiResponse create(HttpApiRequest request) {
        JsonNode body = JsonBodies.object(request.body(), "{\"jobIds\": [\"<job id>\"], \"expiresInSeconds\": 900}"
                + " or {\"tag\": \"user:42\"}");
        body.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                throw ApiProblem.invalid(name, "unknown field; allowed fields are " + new java.util.TreeSet<>(FIELDS));
            }
        });
        if (body.has("jobIds") == body.has("tag")) {
            throw ApiProblem.invalid(body.has("tag") ? "tag" : "jobIds", "give exactly one of jobIds (the jobs the"
                    + " token reads) or tag (the tenant's jobs carrying it)");
        }
        String tag = body.has("tag") ? tag(body.get("tag")) : null;
        Set<String> jobIds = tag == null ? jobIds(body.get("jobIds")) : Set.of();
        Duration lifetime = lifetime(body.get("expiresInSeconds"));
        // whole seconds, as the token carries it: the answer's expiresAt is the token's
        Instant expiresAt = clock.instant().truncatedTo(ChronoUnit.SECONDS).plus(lifetime);
        BrowserTokens.Grant grant = tag != null ? BrowserTokens.Grant.ofTag(request.tenantId(), tag, expiresAt)
                : new BrowserTokens.Grant(request.tenantId(), jobIds, expiresAt);
        String token = tokens.issue(grant);
        Log.info("auth.token-issued", "tenantId", request.tenantId(), "jobs", jobIds.size(), "tag", tag,
                "expiresInSeconds", lifetime.toSeconds());
        ObjectNode answer = Json.object().put("token", token).put("expiresAt", expiresAt.toString());
        if (tag != null) {
            answer.put("tag", tag);
        } else {
            jobIds.forEach(answer.putArray("jobIds")::add);
        }
        return HttpApiResponse.json(201, answer);
    }

    /**
     * A request made with a browser token goes on only to {@link #TOKEN_ROUTE}, for one of its jobs (a tag's token:
     * for any id, the job's tags are checked when it is read), or, for a tag's token, to {@link #TAG_LIST_ROUTE}
     * filtered by its tag.
     */
    void admit(HttpApiRequest request) {
        BrowserTokens.Grant grant = request.grant();
        String route = request.routeKey();
        if (grant.tag() != null) {
            if (route.equals(TOKEN_ROUTE)
                    || route.equals(TAG_LIST_ROUTE) && grant.tag().equals(request.queryParameters().get("tag"))) {
                return;
            }
            throw new ApiProblem(403, "forbidden", "Forbidden", "a browser token for tag '" + grant.tag()
                    + "' reads only the jobs carrying it, with " + TOKEN_ROUTE + " or " + TAG_LIST_ROUTE + "?tag="
                    + grant.tag() + "; this request is " + route, List.of(), Map.of());
        }
        if (!route.equals(TOKEN_ROUTE) || !grant.jobIds().contains(request.pathParameters().get("id"))) {
            throw new ApiProblem(403, "forbidden", "Forbidden", "a browser token reads only the jobs it names, with "
                    + TOKEN_ROUTE + "; this request is " + route, List.of(), Map.of());
        }
    }

    private static String tag(JsonNode node) {
        if (!node.isTextual() || !Tags.isValid(node.asText())) {
            throw ApiProblem.invalid("tag", "must be " + Tags.RULE);
        }
        return node.asText();
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
