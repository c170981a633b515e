package io.jobway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobway.auth.ApiKey;
import io.jobway.auth.ApiKeyStore;
import io.jobway.auth.ApiKeys;
import io.jobway.auth.Scopes;
import io.jobway.events.HttpApiRequest;
import io.jobway.events.HttpApiResponse;
import io.jobway.json.Json;
import io.jobway.obs.Log;
import java.time.Clock;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A tenant's API keys, for its admins: {@code POST /v1/keys} makes one (shown once; only its hash is stored),
 * {@code GET /v1/keys} lists them with their scopes and last use, {@code DELETE /v1/keys/{keyId}} revokes one.
 * A revoked key is refused once the authorizer's 5-minute cache of it ends, as every key change is.
 */
final class KeysApi {
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9]{1,64}");

    private final ApiKeyStore keys;
    private final Clock clock;

    KeysApi(ApiKeyStore keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** {@code {scopes?: [...]}}: jobs:read and jobs:write unless named. */
    HttpApiResponse create(HttpApiRequest request) {
        Set<String> scopes = Scopes.DEFAULT;
        if (request.body() != null && !request.body().isBlank()) {
            JsonNode body = JsonBodies.object(request.body(), "{\"scopes\": [\"jobs:read\"]}");
            body.fieldNames().forEachRemaining(name -> {
                if (!name.equals("scopes")) {
                    throw ApiProblem.invalid(name, "unknown field; allowed fields are [scopes]");
                }
            });
            if (body.has("scopes")) {
                scopes = scopes(body.get("scopes"));
            }
        }
        String key = new ApiKeys().generate();
        ApiKey stored = new ApiKey(ApiKeys.hash(key), ApiKeys.keyId(key), request.tenantId(), scopes, clock.instant(),
                null);
        keys.put(stored);
        Log.info("auth.key-created", "tenantId", stored.tenantId(), "keyId", stored.keyId(), "scopes",
                String.join(",", new TreeSet<>(scopes)));
        ObjectNode answer = view(stored);
        answer.put("key", key);
        return HttpApiResponse.json(201, answer);
    }

    HttpApiResponse list(HttpApiRequest request) {
        ObjectNode body = Json.object();
        ArrayNode items = body.putArray("items");
        keys.list(request.tenantId()).stream().sorted(Comparator.comparing(ApiKey::createdAt))
                .forEach(key -> items.add(view(key)));
        return HttpApiResponse.json(200, body);
    }

    HttpApiResponse revoke(HttpApiRequest request) {
        String keyId = request.pathParameters().get("keyId");
        if (keyId == null || !KEY_ID.matcher(keyId).matches()
                || !keys.revoke(request.tenantId(), keyId, clock.instant())) {
            throw ApiProblem.notFound("no key " + keyId);
        }
        Log.info("auth.key-revoked", "tenantId", request.tenantId(), "keyId", keyId);
        return new HttpApiResponse(204, Map.of(), null);
    }

    private static Set<String> scopes(JsonNode node) {
        if (!node.isArray() || node.isEmpty()) {
            throw ApiProblem.invalid("scopes", "must be a non-empty list of " + new TreeSet<>(Scopes.ALL));
        }
        Set<String> scopes = new LinkedHashSet<>();
        for (JsonNode scope : node) {
            if (!scope.isTextual() || !Scopes.ALL.contains(scope.asText())) {
                throw ApiProblem.invalid("scopes", "unknown scope " + scope + "; the scopes are "
                        + new TreeSet<>(Scopes.ALL));
            }
            scopes.add(scope.asText());
        }
        return scopes;
    }

    /** What the API shows of a key: never the key nor its hash. */
    private static ObjectNode view(ApiKey key) {
        ObjectNode view = Json.object();
        view.put("keyId", key.keyId());
        ArrayNode scopes = view.putArray("scopes");
        new TreeSet<>(Scopes.effective(key.scopes())).forEach(scopes::add);
        view.put("createdAt", key.createdAt().toString());
        view.put("lastUsedAt", key.lastUsedAt() == null ? null : key.lastUsedAt().toString());
        view.put("revokedAt", key.revokedAt() == null ? null : key.revokedAt().toString());
        return view;
    }
}
