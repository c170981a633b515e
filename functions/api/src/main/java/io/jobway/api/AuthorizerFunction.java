package io.jobway.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import io.jobway.auth.ApiKey;
import io.jobway.auth.ApiKeyStore;
import io.jobway.auth.ApiKeys;
import io.jobway.auth.DynamoApiKeyStore;
import io.jobway.aws.Clients;
import io.jobway.aws.Config;
import io.jobway.aws.Priming;
import io.jobway.obs.Log;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP API Lambda authorizer (payload 2.0, simple responses): {@code Authorization: Bearer <key>} is looked
 * up by its hash; the tenant and scopes go to the API function in the authorizer context.
 */
public final class AuthorizerFunction implements RequestHandler<APIGatewayV2CustomAuthorizerEvent, Map<String, Object>> {
    public static final String TENANT_ID = "tenantId";

    private final ApiKeyStore keys;
    /** Held here because CRaC keeps resources weakly; null when built for tests. */
    final Priming priming;

    public AuthorizerFunction() {
        this(Config.fromEnvironment(), Clients.create(Config.fromEnvironment()));
    }

    public AuthorizerFunction(Config config, Clients clients) {
        this(keyStore(config, clients), Priming.register("AuthorizerFunction", clients, primed ->
                // SnapStart priming: a key lookup, marshalled and not sent
                new AuthorizerFunction(keyStore(config, primed)).handleRequest(APIGatewayV2CustomAuthorizerEvent
                        .builder().withVersion("2.0").withType("REQUEST").withRouteKey("GET /v1/jobs")
                        .withHeaders(Map.of("authorization", "Bearer jw_priming_snapstart")).build(),
                        Priming.context("AuthorizerFunction", Duration.ofSeconds(5)))));
    }

    AuthorizerFunction(ApiKeyStore keys) {
        this(keys, null);
    }

    private AuthorizerFunction(ApiKeyStore keys, Priming priming) {
        this.keys = keys;
        this.priming = priming;
    }

    private static ApiKeyStore keyStore(Config config, Clients clients) {
        return new DynamoApiKeyStore(clients.dynamo(), config.require(Config.API_KEYS_TABLE));
    }

    @Override
    public Map<String, Object> handleRequest(APIGatewayV2CustomAuthorizerEvent event, Context context) {
        Optional<ApiKey> key = bearer(event).flatMap(token -> keys.findByHash(ApiKeys.hash(token)))
                .filter(ApiKey::active);
        if (key.isEmpty()) {
            Log.warn("auth.denied", "keyId", bearer(event).map(ApiKeys::keyId).orElse("none"));
            return Map.of("isAuthorized", false);
        }
        return Map.of("isAuthorized", true, "context", Map.of(
                TENANT_ID, key.get().tenantId(),
                "keyId", key.get().keyId(),
                "scopes", String.join(",", key.get().scopes())));
    }

    private static Optional<String> bearer(APIGatewayV2CustomAuthorizerEvent event) {
        if (event.getHeaders() == null) {
            return Optional.empty();
        }
        return event.getHeaders().entrySet().stream()
                .filter(e -> e.getKey().toLowerCase(Locale.ROOT).equals("authorization"))
                .map(Map.Entry::getValue)
                .filter(v -> v != null && v.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(v -> v.substring(7).trim())
                .filter(v -> !v.isEmpty())
                .findFirst();
    }
}
