package io.jobway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobway.api.ApiProblem.FieldError;
import io.jobway.events.HttpApiRequest;
import io.jobway.events.HttpApiResponse;
import io.jobway.job.JobSpec;
import io.jobway.json.Json;
import io.jobway.limits.JobLimit;
import io.jobway.limits.LimitStore;
import io.jobway.obs.Log;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The limit routes: a tenant declares, per job type, how many attempts may start per window and how many may run at
 * once, for every {@code rateKey} of the type or for one key. They are data, not deploy settings, because they are
 * the tenant's business (each social account has its own daily quota, and it changes) and apply within 30 s.
 */
final class LimitsApi {
    private static final Set<String> FIELDS = Set.of("rate", "maxRunning");
    private static final Set<String> RATE_FIELDS = Set.of("limit", "per");
    private static final int PAGE = 100;

    private final LimitStore store;
    private final Set<String> jobTypes;
    private final Cursors cursors;

    LimitsApi(LimitStore store, Set<String> jobTypes, Cursors cursors) {
        this.cursors = cursors;
        this.store = store;
        this.jobTypes = Set.copyOf(jobTypes);
    }

    /** {@code PUT /v1/limits/{type}[?rateKey=]}: sets the limit, replacing one there was. */
    HttpApiResponse put(HttpApiRequest request) {
        String type = type(request);
        String rateKey = rateKey(request);
        JobLimit limit = parse(request.body());
        store.put(request.tenantId(), new LimitStore.Entry(type, rateKey, limit));
        Log.info("limits.set", "tenantId", request.tenantId(), "type", type, "rateKey", rateKey);
        return HttpApiResponse.json(200, view(new LimitStore.Entry(type, rateKey, limit)));
    }

    /** {@code DELETE /v1/limits/{type}[?rateKey=]}: 204, or 404 when there was no such limit. */
    HttpApiResponse delete(HttpApiRequest request) {
        String type = type(request);
        String rateKey = rateKey(request);
        if (!store.delete(request.tenantId(), type, rateKey)) {
            throw ApiProblem.notFound("no limit for " + type + (rateKey == null ? "" : " key " + rateKey));
        }
        Log.info("limits.removed", "tenantId", request.tenantId(), "type", type, "rateKey", rateKey);
        return new HttpApiResponse(204, java.util.Map.of(), null);
    }

    /** {@code GET /v1/limits[?cursor=]}: the tenant's limits by type, then key, 100 a page. */
    HttpApiResponse list(HttpApiRequest request) {
        for (String name : request.queryParameters().keySet()) {
            if (!name.equals("cursor")) {
                throw ApiProblem.invalid(name, "unknown query parameter; allowed is [cursor]");
            }
        }
        LimitStore.Page page = store.list(request.tenantId(), cursors.decode(request, "limits", key -> true), PAGE);
        ObjectNode body = Json.object();
        ArrayNode items = body.putArray("items");
        page.items().forEach(entry -> items.add(view(entry)));
        body.put("nextCursor", cursors.encode(request, "limits", page.nextAfter()));
        return HttpApiResponse.json(200, body);
    }

    private String type(HttpApiRequest request) {
        String type = request.pathParameters().get("type");
        if (type == null || !jobTypes.contains(type)) {
            throw ApiProblem.invalid("type", "unknown job type '" + type + "'; known types are " + new TreeSet<>(jobTypes));
        }
        return type;
    }

    private static String rateKey(HttpApiRequest request) {
        for (String name : request.queryParameters().keySet()) {
            if (!name.equals("rateKey")) {
                throw ApiProblem.invalid(name, "unknown query parameter; allowed is [rateKey]");
            }
        }
        String key = request.queryParameters().get("rateKey");
        if (key != null && (key.isEmpty() || key.length() > JobSpec.MAX_RATE_KEY_LENGTH
                || key.chars().anyMatch(Character::isISOControl))) {
            throw ApiProblem.invalid("rateKey", "must be 1 to " + JobSpec.MAX_RATE_KEY_LENGTH
                    + " characters without control characters");
        }
        return key;
    }

    static JobLimit parse(String body) {
        JsonNode root = JsonBodies.object(body, "{\"rate\": {\"limit\": 50, \"per\": \"1d\"}, \"maxRunning\": 2}");
        List<FieldError> errors = new ArrayList<>();
        unknown(root, FIELDS, "", errors);
        Integer rateLimit = null;
        Duration per = null;
        JsonNode rate = root.get("rate");
        if (rate != null && !rate.isNull()) {
            if (!rate.isObject()) {
                errors.add(new FieldError("rate", "must be an object {\"limit\": n, \"per\": \"1d\"}"));
            } else {
                unknown(rate, RATE_FIELDS, "rate.", errors);
                rateLimit = whole(rate.get("limit"), "rate.limit", JobLimit.MAX_RATE_LIMIT, errors);
                per = period(rate.get("per"), errors);
            }
        }
        Integer maxRunning = whole(root.get("maxRunning"), "maxRunning", JobLimit.MAX_RUNNING, errors);
        if (maxRunning == null && rateLimit == null && errors.isEmpty()) { // absent, or null: {"rate": null} too
            errors.add(new FieldError("body", "needs rate, maxRunning or both"));
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
        return new JobLimit(rateLimit, per, maxRunning);
    }

    private static void unknown(JsonNode node, Set<String> allowed, String prefix, List<FieldError> errors) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                errors.add(new FieldError(prefix + name, "unknown field; allowed fields are " + new TreeSet<>(allowed)));
            }
        }
    }

    private static Integer whole(JsonNode node, String field, int max, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            if (field.equals("rate.limit")) {
                errors.add(new FieldError(field, "is required: a whole number from 1 to " + max));
            }
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < 1 || node.asInt() > max) {
            errors.add(new FieldError(field, "must be a whole number from 1 to " + max));
            return null;
        }
        return node.asInt();
    }

    private static Duration period(JsonNode node, List<FieldError> errors) {
        if (node == null || !node.isTextual()) {
            errors.add(new FieldError("rate.per", "is required: a period such as 30s, 10m, 1h or 1d"));
            return null;
        }
        try {
            return JobLimit.parsePeriod(node.asText());
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("rate.per", e.getMessage()));
            return null;
        }
    }

    private static ObjectNode view(LimitStore.Entry entry) {
        ObjectNode node = Json.object();
        node.put("type", entry.type());
        node.put("rateKey", entry.rateKey());
        JobLimit limit = entry.limit();
        if (limit.limitsRate()) {
            node.putObject("rate").put("limit", limit.rateLimit()).put("per", JobLimit.formatPeriod(limit.ratePer()));
        } else {
            node.putNull("rate");
        }
        node.put("maxRunning", limit.maxRunning());
        return node;
    }

}
