package io.jobway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.ResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.jobway.auth.Scopes;
import io.jobway.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The authorizer's JWT option: a bearer JWT from the deployment's OIDC issuer (Cognito, Auth0, Okta, ...) is
 * accepted when its signature checks against the issuer's published keys (found through its
 * {@code /.well-known/openid-configuration}, cached and refreshed by Nimbus JOSE+JWT), its issuer is exactly the one
 * configured, its audience ({@code aud}, or Cognito's {@code client_id} on access tokens) is the one configured,
 * and it has not expired. The tenant is a claim of the token; the scopes come from its OAuth {@code scope} claim
 * (a {@code resource-server/} prefix, as Cognito writes them, is dropped) and are jobs:read and jobs:write when it
 * has none.
 */
final class JwtCredentials {
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** Fitted to the authorizer's 5 s Lambda timeout: discovery and keys together stay under it. */
    private static final int FETCH_TIMEOUT_MS = 1_500;
    private static final int FETCH_MAX_BYTES = 256 * 1024;

    /** What a valid JWT establishes. */
    record Verified(String tenantId, String subject, Set<String> scopes, Instant expiresAt) {
    }

    private final String issuer;
    private final String audience;
    private final String tenantClaim;
    private final ResourceRetriever retriever = new DefaultResourceRetriever(FETCH_TIMEOUT_MS, FETCH_TIMEOUT_MS,
            FETCH_MAX_BYTES);
    private volatile DefaultJWTProcessor<SecurityContext> processor;

    JwtCredentials(String issuer, String audience, String tenantClaim) {
        URI uri = URI.create(issuer);
        boolean loopback = List.of("127.0.0.1", "localhost", "[::1]").contains(uri.getHost());
        if (!"https".equals(uri.getScheme()) && !loopback) {
            throw new IllegalStateException("JwtIssuer must be an https URL (only a loopback issuer may be http): "
                    + issuer);
        }
        this.issuer = issuer;
        this.audience = audience;
        this.tenantClaim = tenantClaim;
    }

    /** A bearer that has a JWT's shape (API keys and browser tokens have none of their dots). */
    static boolean looksLikeJwt(String bearer) {
        return bearer.startsWith("eyJ") && bearer.chars().filter(c -> c == '.').count() == 2;
    }

    /**
     * The token's tenant, scopes and expiry; empty when it is not valid (logged by the caller). An issuer that
     * cannot be reached throws {@link IOException}: the caller denies, and the next request tries again.
     */
    Optional<Verified> verify(String token) throws IOException {
        JWTClaimsSet claims;
        try {
            claims = processor().process(token, null);
        } catch (ParseException | BadJOSEException | JOSEException e) {
            return Optional.empty();
        }
        boolean audienceMatches = claims.getAudience().contains(audience) || audience.equals(text(claims, "client_id"));
        String tenant = text(claims, tenantClaim);
        if (!audienceMatches || tenant == null || !TENANT.matcher(tenant).matches()) {
            return Optional.empty();
        }
        return Optional.of(new Verified(tenant, claims.getSubject(), scopes(text(claims, "scope")),
                claims.getExpirationTime().toInstant()));
    }

    private DefaultJWTProcessor<SecurityContext> processor() throws IOException {
        DefaultJWTProcessor<SecurityContext> known = processor;
        if (known == null) {
            synchronized (this) {
                if (processor == null) {
                    processor = build(jwksUri());
                }
                known = processor;
            }
        }
        return known;
    }

    private DefaultJWTProcessor<SecurityContext> build(URL jwks) {
        JWKSource<SecurityContext> keys = JWKSourceBuilder.create(jwks, retriever).build();
        DefaultJWTProcessor<SecurityContext> built = new DefaultJWTProcessor<>();
        built.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
                JWSAlgorithm.RS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.PS256), keys));
        // the audience is checked above (aud or client_id); issuer exact, expiry required
        built.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(null,
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("exp", tenantClaim), null));
        return built;
    }

    /** The issuer's {@code jwks_uri}, from its OIDC discovery document (which must name the same issuer). */
    private URL jwksUri() throws IOException {
        URL discovery = URI.create(issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration").toURL();
        JsonNode document = Json.parse(retriever.retrieveResource(discovery).getContent());
        if (!issuer.equals(document.path("issuer").asText()) || !document.path("jwks_uri").isTextual()) {
            throw new IOException(discovery + " does not describe issuer " + issuer + " with a jwks_uri");
        }
        return URI.create(document.get("jwks_uri").asText()).toURL();
    }

    private static Set<String> scopes(String scopeClaim) {
        if (scopeClaim == null || scopeClaim.isBlank()) {
            return Scopes.DEFAULT;
        }
        Set<String> scopes = new LinkedHashSet<>();
        for (String scope : scopeClaim.trim().split("\\s+")) {
            String name = scope.substring(scope.lastIndexOf('/') + 1);
            if (Scopes.ALL.contains(name)) {
                scopes.add(name);
            }
        }
        return scopes;
    }

    private static String text(JWTClaimsSet claims, String name) {
        Object value = claims.getClaim(name);
        return value instanceof String s ? s : null;
    }
}
