package io.jobway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobway.json.Json;
import io.jobway.notify.WebhookSigner;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Short-lived, read-only tokens a web page may hold instead of an API key: an app's backend asks for one
 * ({@code POST /v1/tokens}) naming the jobs a visitor may watch, or a tag those jobs carry (every job of user 42's
 * campaign, tagged {@code user:42}), and the page reads those jobs' status and subscribes to their events with it,
 * and nothing else. A token is {@code jwb_<claims>.<mac>}: the claims (tenant {@code t}, job ids {@code j} or tag
 * {@code g}, expiry {@code e}) in base64url JSON, and an HMAC-SHA256 under a key derived from the deployment's
 * secret. Nothing is stored: a token cannot be revoked, which is why it lives an hour at most.
 */
public final class BrowserTokens {
    public static final String PREFIX = "jwb_";
    public static final Duration MAX_LIFETIME = Duration.ofHours(1);
    public static final int MAX_JOBS = 100;
    static final String PURPOSE = "browser-token/v1";

    private final SigningKeys keys;

    public BrowserTokens(SigningKeys keys) {
        this.keys = keys;
    }

    /**
     * What a token lets its holder read, until {@code expiresAt}: these jobs of this tenant, or, when {@code tag} is
     * given (and {@code jobIds} empty), the tenant's jobs carrying that tag.
     */
    public record Grant(String tenantId, Set<String> jobIds, String tag, Instant expiresAt) {
        public Grant {
            jobIds = Set.copyOf(jobIds);
            if (tag != null && !jobIds.isEmpty()) {
                throw new IllegalArgumentException("a browser token names job ids or a tag, not both");
            }
        }

        /** A grant of these jobs. */
        public Grant(String tenantId, Set<String> jobIds, Instant expiresAt) {
            this(tenantId, jobIds, null, expiresAt);
        }

        /** A grant of the tenant's jobs that carry {@code tag}. */
        public static Grant ofTag(String tenantId, String tag, Instant expiresAt) {
            return new Grant(tenantId, Set.of(), tag, expiresAt);
        }

        /** Whether the job {@code jobId}, carrying {@code tags}, is one this grant reads. */
        public boolean covers(String jobId, java.util.Collection<String> tags) {
            return tag != null ? tags.contains(tag) : jobIds.contains(jobId);
        }

        public boolean expired(Instant now) {
            return !now.isBefore(expiresAt);
        }
    }

    public static boolean isToken(String bearer) {
        return bearer != null && bearer.startsWith(PREFIX);
    }

    public String issue(Grant grant) {
        ObjectNode claims = Json.object().put("t", grant.tenantId()).put("e", grant.expiresAt().getEpochSecond());
        if (grant.tag() != null) {
            claims.put("g", grant.tag());
        } else {
            grant.jobIds().stream().sorted().forEach(claims.putArray("j")::add);
        }
        String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(
                Json.write(claims).getBytes(StandardCharsets.UTF_8));
        return PREFIX + encoded + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(encoded));
    }

    /** The grant of a token this deployment issued that has not expired; empty for anything else. */
    public Optional<Grant> verify(String token, Instant now) {
        if (!isToken(token)) {
            return Optional.empty();
        }
        String body = token.substring(PREFIX.length());
        int dot = body.indexOf('.');
        if (dot < 1) {
            return Optional.empty();
        }
        String encoded = body.substring(0, dot);
        try {
            if (!MessageDigest.isEqual(Base64.getUrlDecoder().decode(body.substring(dot + 1)), mac(encoded))) {
                return Optional.empty();
            }
            JsonNode claims = Json.parse(new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8));
            Set<String> jobIds = new LinkedHashSet<>();
            claims.path("j").forEach(id -> jobIds.add(id.asText()));
            String tag = claims.hasNonNull("g") ? claims.get("g").asText() : null;
            Instant expiresAt = Instant.ofEpochSecond(claims.path("e").asLong());
            Grant grant = tag != null ? Grant.ofTag(claims.path("t").asText(), tag, expiresAt)
                    : new Grant(claims.path("t").asText(), jobIds, expiresAt);
            return grant.expired(now) ? Optional.empty() : Optional.of(grant);
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // not base64: not one of ours
        }
    }

    private byte[] mac(String encodedClaims) {
        return WebhookSigner.hmacSha256(keys.key(PURPOSE), encodedClaims.getBytes(StandardCharsets.UTF_8));
    }
}
