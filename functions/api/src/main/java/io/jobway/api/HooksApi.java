package io.jobway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobway.api.ApiProblem.FieldError;
import io.jobway.job.JobSpec;
import io.jobway.json.Json;
import io.jobway.events.HttpApiRequest;
import io.jobway.events.HttpApiResponse;
import io.jobway.notify.HookSourceStore;
import io.jobway.notify.HookSourceStore.HookSource;
import io.jobway.notify.InboundSignature;
import io.jobway.obs.Log;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Inbound webhooks: a tenant registers a source (the sender's signature scheme and secret, and the job type
 * an event becomes) and gives the sender its URL. A request is verified before anything is stored, and each
 * event id becomes one job: a repeat is answered 200 with the job it made.
 */
final class HooksApi {
    /** Senders retry for days (Stripe: 3), re-signing each time: an event id is remembered a week. */
    static final java.time.Duration EVENT_WINDOW = java.time.Duration.ofDays(7);
    /** How long a rotated-out secret still verifies, as webhook secrets' 24 h. */
    static final java.time.Duration ROTATION_OVERLAP = java.time.Duration.ofHours(24);
    private static final Set<String> SCHEMES = Set.of(HookSource.STRIPE, HookSource.STANDARD_WEBHOOKS);
    /** What a source id can look like ("hs_" and 24 letters today), checked before any lookup. */
    private static final Pattern SOURCE_ID = Pattern.compile("hs_[A-Za-z0-9]{1,64}");
    private static final String ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /** A verified event, ready to become a job of its source's tenant. */
    record Verified(String tenantId, JobSpec spec) {
    }

    private final HookSourceStore sources;
    private final Set<String> jobTypes;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Cursors cursors;

    HooksApi(HookSourceStore sources, Set<String> jobTypes, Cursors cursors, Clock clock) {
        this.cursors = cursors;
        this.sources = sources;
        this.jobTypes = Set.copyOf(jobTypes);
        this.clock = clock;
    }

    /** {@code POST /v1/hook-sources}: {@code {scheme, secret, jobType}} gives a source id and its URL. */
    HttpApiResponse createSource(HttpApiRequest request) {
        JsonNode body = object(request.body());
        List<FieldError> errors = new ArrayList<>();
        String scheme = text(body, "scheme", errors);
        String secret = text(body, "secret", errors);
        String jobType = text(body, "jobType", errors);
        if (scheme != null && !SCHEMES.contains(scheme)) {
            errors.add(new FieldError("scheme", "must be one of " + new TreeSet<>(SCHEMES)));
        }
        if (jobType != null && !jobTypes.contains(jobType)) {
            errors.add(new FieldError("jobType", "unknown job type '" + jobType + "'; known types are "
                    + new TreeSet<>(jobTypes)));
        }
        if (secret != null && HookSource.STANDARD_WEBHOOKS.equals(scheme) && !validStandardSecret(secret)) {
            errors.add(new FieldError("secret", "a Standard Webhooks secret is whsec_ followed by base64"));
        }
        body.fieldNames().forEachRemaining(name -> {
            if (!Set.of("scheme", "secret", "jobType").contains(name)) {
                errors.add(new FieldError(name, "unknown field; allowed fields are [jobType, scheme, secret]"));
            }
        });
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
        HookSource source = new HookSource("hs_" + randomId(), request.tenantId(), scheme, secret, jobType,
                clock.instant());
        sources.put(source);
        Log.info("hook.source-created", "tenantId", source.tenantId(), "sourceId", source.sourceId(), "scheme", scheme);
        return HttpApiResponse.json(201, view(source));
    }

    /** {@code GET /v1/hook-sources}: the tenant's sources by id, 100 a page, without their secrets. */
    HttpApiResponse listSources(HttpApiRequest request) {
        Map<String, String> params = request.queryParameters();
        for (String name : params.keySet()) {
            if (!Set.of("limit", "cursor").contains(name)) {
                throw ApiProblem.invalid(name, "unknown query parameter; allowed are [cursor, limit]");
            }
        }
        Integer limit = JobsApi.parseParam(params, "limit", JobsApi::limit);
        String after = cursors.decode(request, "hook-sources", sourceId -> SOURCE_ID.matcher(sourceId).matches());
        HookSourceStore.Page page = sources.list(request.tenantId(), after, limit == null ? 100 : limit);
        ObjectNode body = Json.object();
        var items = body.putArray("items");
        page.items().forEach(source -> items.add(view(source)));
        body.put("nextCursor", cursors.encode(request, "hook-sources", page.nextAfter()));
        return HttpApiResponse.json(200, body);
    }

    /**
     * {@code POST /v1/hook-sources/{id}/rotate}: {@code {secret}}, the sender's new secret. The one before it stays
     * valid for {@link #ROTATION_OVERLAP}, while the sender moves over; a rotation inside that time ends it.
     */
    HttpApiResponse rotateSource(HttpApiRequest request) {
        String sourceId = ownSourceId(request);
        JsonNode body = object(request.body());
        List<FieldError> errors = new ArrayList<>();
        String secret = text(body, "secret", errors);
        body.fieldNames().forEachRemaining(name -> {
            if (!name.equals("secret")) {
                errors.add(new FieldError(name, "unknown field; allowed fields are [secret]"));
            }
        });
        HookSource current = sources.find(sourceId).filter(s -> s.tenantId().equals(request.tenantId()))
                .orElseThrow(() -> ApiProblem.notFound("no hook source " + sourceId));
        if (secret != null && HookSource.STANDARD_WEBHOOKS.equals(current.scheme()) && !validStandardSecret(secret)) {
            errors.add(new FieldError("secret", "a Standard Webhooks secret is whsec_ followed by base64"));
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
        HookSource rotated = sources.rotate(request.tenantId(), sourceId, secret, clock.instant(), ROTATION_OVERLAP)
                .orElseThrow(() -> ApiProblem.notFound("no hook source " + sourceId));
        Log.info("hook.source-rotated", "tenantId", rotated.tenantId(), "sourceId", sourceId,
                "previousValidUntil", rotated.previousValidUntil());
        return HttpApiResponse.json(200, view(rotated));
    }

    /** {@code DELETE /v1/hook-sources/{id}}: 204; its URL answers 404 from then on. */
    HttpApiResponse deleteSource(HttpApiRequest request) {
        String sourceId = ownSourceId(request);
        if (!sources.delete(request.tenantId(), sourceId)) {
            throw ApiProblem.notFound("no hook source " + sourceId);
        }
        Log.info("hook.source-deleted", "tenantId", request.tenantId(), "sourceId", sourceId);
        return new HttpApiResponse(204, Map.of(), null);
    }

    private static String ownSourceId(HttpApiRequest request) {
        String sourceId = request.pathParameters().get("id");
        if (sourceId == null || !SOURCE_ID.matcher(sourceId).matches()) {
            throw ApiProblem.notFound("no hook source " + sourceId);
        }
        return sourceId;
    }

    /** What the API shows of a source: never a secret. */
    private static ObjectNode view(HookSource source) {
        ObjectNode view = Json.object();
        view.put("sourceId", source.sourceId());
        view.put("url", "/v1/hooks/" + source.sourceId());
        view.put("scheme", source.scheme());
        view.put("jobType", source.jobType());
        view.put("createdAt", source.createdAt().toString());
        view.put("rotatedAt", source.rotatedAt() == null ? null : source.rotatedAt().toString());
        view.put("previousSecretValidUntil", source.previousValidUntil() == null ? null
                : source.previousValidUntil().toString());
        return view;
    }

    /** {@code POST /v1/hooks/{source}}, no API key: the signature is the authentication. */
    Verified verify(HttpApiRequest request) {
        String sourceId = request.pathParameters().get("source");
        HookSource source = (sourceId == null || !SOURCE_ID.matcher(sourceId).matches()
                ? java.util.Optional.<HookSource>empty() : sources.find(sourceId))
                .orElseThrow(() -> ApiProblem.notFound("no hook source " + sourceId));
        String body = request.body() == null ? "" : request.body();
        Instant now = clock.instant();
        String eventId;
        try {
            verifyWithAnyValidSecret(source, request, body, now);
            eventId = HookSource.STRIPE.equals(source.scheme()) ? object(body).path("id").asText(null)
                    : request.header("webhook-id");
        } catch (InboundSignature.Refused e) {
            Log.warn("hook.refused", "sourceId", sourceId, "reason", e.getMessage());
            throw new ApiProblem(401, "invalid-signature", "The webhook's signature is not valid", e.getMessage(),
                    List.of(), Map.of());
        }
        if (eventId == null || eventId.isBlank() || eventId.length() > 200) {
            throw ApiProblem.invalid("id", "the event needs an id (1-200 characters) so it is accepted only once");
        }
        JsonNode event = object(body);
        int depth = Json.depth(event);
        if (depth > JobSpec.MAX_PAYLOAD_DEPTH) {
            throw ApiProblem.invalid("body", "the event nests " + depth + " levels deep; the limit is "
                    + JobSpec.MAX_PAYLOAD_DEPTH);
        }
        String payload = Json.write(event);
        if (payload.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > JobSpec.MAX_PAYLOAD_BYTES) {
            throw new ApiProblem(413, "payload-too-large", "The event is too large",
                    "the event is over 256 KiB", List.of(new FieldError("body", "larger than 256 KiB")), Map.of());
        }
        return new Verified(source.tenantId(), new JobSpec(source.jobType(), payload, JobSpec.DEFAULT_MAX_ATTEMPTS,
                JobSpec.DEFAULT_TIMEOUT_SECONDS, 0, null, "hook:" + sourceId + ":" + eventId));
    }

    /** Signed with the current secret or, within a rotation's overlap, the one before; else the first refusal. */
    private static void verifyWithAnyValidSecret(HookSource source, HttpApiRequest request, String body, Instant now) {
        InboundSignature.Refused first = null;
        for (String secret : source.validSecrets(now)) {
            try {
                if (HookSource.STRIPE.equals(source.scheme())) {
                    InboundSignature.verifyStripe(request.header("stripe-signature"), body, secret, now);
                } else {
                    InboundSignature.verifyStandard(request.header("webhook-id"), request.header("webhook-timestamp"),
                            request.header("webhook-signature"), body, secret, now);
                }
                return;
            } catch (InboundSignature.Refused e) {
                first = first == null ? e : first;
            }
        }
        throw first;
    }

    private static JsonNode object(String body) {
        try {
            JsonNode node = Json.parse(body == null ? "" : body);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (RuntimeException e) {
            // answered below
        }
        throw ApiProblem.invalid("body", "must be a JSON object");
    }

    private static String text(JsonNode body, String field, List<FieldError> errors) {
        JsonNode node = body.get(field);
        if (node == null || !node.isTextual() || node.asText().isBlank() || node.asText().length() > 500) {
            errors.add(new FieldError(field, "is required: a string of at most 500 characters"));
            return null;
        }
        return node.asText();
    }

    private static boolean validStandardSecret(String secret) {
        try {
            return secret.startsWith("whsec_") && java.util.Base64.getDecoder().decode(secret.substring(6)).length >= 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private String randomId() {
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            id.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }
}
