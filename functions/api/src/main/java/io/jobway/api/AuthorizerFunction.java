package io.jobway.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.jobway.auth.ApiKey;
import io.jobway.auth.ApiKeyStore;
import io.jobway.auth.ApiKeys;
import io.jobway.auth.BrowserTokens;
import io.jobway.auth.DynamoApiKeyStore;
import io.jobway.auth.Scopes;
import io.jobway.auth.SigningKeys;
import io.jobway.aws.Clients;
import io.jobway.aws.Config;
import io.jobway.aws.Priming;
import io.jobway.events.AuthorizerRequest;
import io.jobway.events.AuthorizerResponse;
import io.jobway.obs.Log;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * HTTP API Lambda authorizer (payload 2.0, simple responses): {@code Authorization: Bearer <key>} is looked
 * up by its hash; the tenant and scopes go to the API function in the authorizer context. Like the API function
 * it reads the raw event itself ({@link AuthorizerRequest}), so that Lambda's runtime never loads its event
 * serializer (about a third of a second of a cold start, which the first request pays on top of the API's).
 */
public final class AuthorizerFunction implements RequestStreamHandler {
    /** template.yaml's Timeout for this function; its AWS calls are fitted to it (TemplateRulesTest). */
    public static final Duration LAMBDA_TIMEOUT = Duration.ofSeconds(5);

    private final ApiKeyStore keys;
    private final BrowserTokens tokens;
    /** Null unless the template's JwtIssuer is set. */
    private final JwtCredentials jwt;
    /** Held here because CRaC keeps resources weakly; null when built for tests. */
    final Priming priming;

    public AuthorizerFunction() {
        this(Config.fromEnvironment(), Clients.create(Config.fromEnvironment(), LAMBDA_TIMEOUT));
    }

    public AuthorizerFunction(Config config, Clients clients) {
        this(keyStore(config, clients), tokens(config, clients), jwt(config), Priming.register("AuthorizerFunction", clients, primed -> {
            // SnapStart priming: an event read, a key lookup marshalled and not sent, the answer written
            byte[] event = """
                    {"version":"2.0","type":"REQUEST","routeKey":"GET /v1/jobs",
                     "headers":{"authorization":"Bearer jw_priming_snapstart"}}""".getBytes(StandardCharsets.UTF_8);
            Priming.invoke(new AuthorizerFunction(keyStore(config, primed), tokens(config, primed), null), event,
                    Priming.context("AuthorizerFunction", LAMBDA_TIMEOUT));
        }));
    }

    AuthorizerFunction(ApiKeyStore keys, BrowserTokens tokens, JwtCredentials jwt) {
        this(keys, tokens, jwt, null);
    }

    private AuthorizerFunction(ApiKeyStore keys, BrowserTokens tokens, JwtCredentials jwt, Priming priming) {
        this.keys = keys;
        this.tokens = tokens;
        this.jwt = jwt;
        this.priming = priming;
    }

    private static JwtCredentials jwt(Config config) {
        return config.optional(Config.JWT_ISSUER).map(issuer -> new JwtCredentials(issuer,
                config.require(Config.JWT_AUDIENCE), config.require(Config.JWT_TENANT_CLAIM))).orElse(null);
    }

    private static BrowserTokens tokens(Config config, Clients clients) {
        return new BrowserTokens(SigningKeys.readFrom(clients.dynamo(), config.require(Config.SIGNING_KEYS_TABLE)));
    }

    private static ApiKeyStore keyStore(Config config, Clients clients) {
        return new DynamoApiKeyStore(clients.dynamo(), config.require(Config.API_KEYS_TABLE));
    }

    /** Reads an authorizer event (payload 2.0) and writes the simple response API Gateway expects. */
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        try (Log.Scope scope = Log.invocation(context)) {
            authorize(AuthorizerRequest.read(input)).write(output);
        }
    }

    /**
     * The key's last-used time, written at most once a minute per key (the read above says when it was last
     * written). A failed write costs the caller nothing: it is logged, and the next use tries again.
     */
    private void recordUse(ApiKey key) {
        Instant now = Instant.now();
        if (!key.lastUsedIsStale(now)) {
            return;
        }
        try {
            keys.touch(key, now);
        } catch (SdkException e) {
            Log.warn("auth.last-used-not-written", "keyId", key.keyId(), "error", e.toString());
        }
    }

    private AuthorizerResponse authorize(AuthorizerRequest request) {
        Optional<String> token = request.bearerToken();
        if (token.filter(BrowserTokens::isToken).isPresent()) {
            return authorizeBrowserToken(token.get());
        }
        if (jwt != null && token.filter(JwtCredentials::looksLikeJwt).isPresent()) {
            return authorizeJwt(token.get());
        }
        Optional<ApiKey> key;
        try {
            key = token.flatMap(t -> keys.findByHash(ApiKeys.hash(t))).filter(ApiKey::active);
        } catch (SdkException e) {
            // the key table did not answer in time: deny (403) rather than fail (API Gateway's 500) or hang
            Log.error("auth.lookup-failed", "keyId", token.map(ApiKeys::keyId).orElse("none"), "error", e.toString());
            return AuthorizerResponse.deny();
        }
        if (key.isEmpty()) {
            Log.warn("auth.denied", "keyId", token.map(ApiKeys::keyId).orElse("none"));
            return AuthorizerResponse.deny();
        }
        recordUse(key.get());
        return allow(key.get().tenantId(), key.get().keyId(), Scopes.effective(key.get().scopes()), null, null);
    }

    /**
     * The context the API function reads: tenant, key id, scopes (sorted, comma-separated), and for a credential
     * that ends, its expiry (checked again by the API past the authorizer's cache) and a browser token's jobs.
     */
    private static AuthorizerResponse allow(String tenantId, String keyId, java.util.Collection<String> scopes,
                                            Instant expiresAt, java.util.Collection<String> jobIds) {
        Map<String, String> context = new LinkedHashMap<>();
        context.put(AuthorizerResponse.TENANT_ID, tenantId);
        context.put("keyId", keyId);
        context.put(AuthorizerResponse.SCOPES, String.join(",", new java.util.TreeSet<>(scopes)));
        if (jobIds != null) {
            context.put(AuthorizerResponse.TOKEN_JOB_IDS, String.join(",", new java.util.TreeSet<>(jobIds)));
        }
        if (expiresAt != null) {
            context.put(AuthorizerResponse.EXPIRES_AT, Long.toString(expiresAt.getEpochSecond()));
        }
        return AuthorizerResponse.allow(context);
    }

    /** A JWT of the configured issuer: its tenant claim, its scopes, and its expiry for the API to check again. */
    private AuthorizerResponse authorizeJwt(String token) {
        Optional<JwtCredentials.Verified> verified;
        try {
            verified = jwt.verify(token);
        } catch (IOException | RuntimeException e) {
            Log.error("auth.jwt-check-failed", "error", e.toString()); // the issuer's keys could not be fetched
            return AuthorizerResponse.deny();
        }
        if (verified.isEmpty()) {
            Log.warn("auth.denied", "keyId", "jwt");
            return AuthorizerResponse.deny();
        }
        return allow(verified.get().tenantId(), "jwt", verified.get().scopes(), verified.get().expiresAt(), null);
    }

    /**
     * A browser token: no scope, only its jobs or its tag (the API enforces that, and the expiry again past the
     * cache).
     */
    private AuthorizerResponse authorizeBrowserToken(String token) {
        Optional<BrowserTokens.Grant> grant;
        try {
            grant = tokens.verify(token, Instant.now());
        } catch (SdkException | IllegalStateException e) {
            Log.error("auth.token-check-failed", "error", e.toString());
            return AuthorizerResponse.deny();
        }
        if (grant.isEmpty()) {
            Log.warn("auth.denied", "keyId", "browser-token");
            return AuthorizerResponse.deny();
        }
        AuthorizerResponse allowed = allow(grant.get().tenantId(), "browser-token", java.util.List.of(),
                grant.get().expiresAt(), grant.get().tag() == null ? grant.get().jobIds() : null);
        if (grant.get().tag() == null) {
            return allowed;
        }
        Map<String, String> context = new LinkedHashMap<>(allowed.context());
        context.put(AuthorizerResponse.TOKEN_TAG, grant.get().tag());
        return AuthorizerResponse.allow(context);
    }
}
