package io.jobway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobway.api.ApiProblem.FieldError;
import io.jobway.job.JobSpec;
import io.jobway.job.Priority;
import io.jobway.job.Tags;
import io.jobway.json.Json;
import io.jobway.notify.CallbackUrlGuard;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns the body of {@code POST /v1/jobs} into a {@link JobSpec}, naming every field that is wrong. */
final class SubmitRequestParser {
    private static final Set<String> FIELDS =
            Set.of("type", "payload", "maxAttempts", "timeoutSeconds", "delaySeconds", "runAt", "callbackUrl",
                    "rateKey", "priority", "tags");
    static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;

    private final Set<String> knownTypes;
    private final CallbackUrlGuard callbackGuard;
    private final Clock clock;

    SubmitRequestParser(Set<String> knownTypes, CallbackUrlGuard callbackGuard, Clock clock) {
        this.knownTypes = Set.copyOf(knownTypes);
        this.callbackGuard = callbackGuard;
        this.clock = clock;
    }

    JobSpec parse(String body, String idempotencyKey) {
        JsonNode root = parseJson(body);
        List<FieldError> errors = new ArrayList<>();
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                errors.add(new FieldError(name, "unknown field; allowed fields are " + new java.util.TreeSet<>(FIELDS)));
            }
        }
        String type = type(root.get("type"), errors);
        int maxAttempts = wholeNumber(root, "maxAttempts", 1, JobSpec.MAX_MAX_ATTEMPTS, JobSpec.DEFAULT_MAX_ATTEMPTS,
                errors);
        int timeout = wholeNumber(root, "timeoutSeconds", 1, JobSpec.MAX_TIMEOUT_SECONDS,
                JobSpec.DEFAULT_TIMEOUT_SECONDS, errors);
        int delay = wholeNumber(root, "delaySeconds", 0, JobSpec.MAX_DELAY_SECONDS, 0, errors);
        Instant runAt = runAt(root.get("runAt"), errors);
        if (runAt != null && root.has("delaySeconds")) {
            errors.add(new FieldError("runAt", "give runAt or delaySeconds, not both"));
        }
        String callbackUrl = callbackUrl(root.get("callbackUrl"), errors);
        String rateKey = rateKey(root.get("rateKey"), errors);
        List<String> tags = tags(root.get("tags"), errors);
        Priority priority = Priority.NORMAL;
        if (root.has("priority")) {
            try {
                priority = Priority.fromWire(root.get("priority").isTextual() ? root.get("priority").asText() : null);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("priority", e.getMessage()));
            }
        }
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY_LENGTH)) {
            errors.add(new FieldError("Idempotency-Key", "must be 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH + " characters"));
        }
        JsonNode payload = root.get("payload");
        httpJobUrl(type, payload, errors);
        int depth = payload == null ? 0 : Json.depth(payload);
        if (depth > JobSpec.MAX_PAYLOAD_DEPTH) {
            errors.add(new FieldError("payload", "nests " + depth + " levels deep; the limit is "
                    + JobSpec.MAX_PAYLOAD_DEPTH));
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
        String payloadJson = payload == null || payload.isNull() ? null : Json.write(payload);
        int payloadBytes = payloadJson == null ? 0 : payloadJson.getBytes(StandardCharsets.UTF_8).length;
        if (payloadBytes > JobSpec.MAX_PAYLOAD_BYTES) {
            throw new ApiProblem(413, "payload-too-large", "The payload is too large",
                    "payload is " + payloadBytes + " bytes; the limit is " + JobSpec.MAX_PAYLOAD_BYTES
                            + " bytes (256 KiB). Store large inputs elsewhere (S3) and pass a reference.",
                    List.of(new FieldError("payload", "larger than 256 KiB")), Map.of());
        }
        return new JobSpec(type, payloadJson, maxAttempts, timeout, delay, callbackUrl, idempotencyKey, runAt, rateKey,
                priority, tags);
    }

    /**
     * One item of a batch submit: what a submit body takes, plus its own {@code idempotencyKey} (the header's
     * rules). An item without one is keyed {@code batchKey} (null for none), which the batch's header makes.
     */
    JobSpec parseBatchItem(JsonNode item, String batchKey) {
        if (item == null || !item.isObject()) {
            throw ApiProblem.invalid("body", "must be a JSON object such as {\"type\": \"echo\", \"payload\": {}}");
        }
        ObjectNode fields = item.deepCopy();
        JsonNode key = fields.remove("idempotencyKey");
        if (key != null && !key.isNull() && (!key.isTextual() || key.asText().isBlank()
                || key.asText().length() > MAX_IDEMPOTENCY_KEY_LENGTH)) {
            throw ApiProblem.invalid("idempotencyKey", "must be a string of 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH
                    + " characters");
        }
        return parse(Json.write(fields), key == null || key.isNull() ? batchKey : key.asText());
    }

    /**
     * A schedule's job: what a submit takes, less {@code delaySeconds} and {@code runAt} (its fire times say when),
     * with each wrong field named {@code job.<field>}.
     */
    JobSpec parseScheduledJob(JsonNode job) {
        if (job == null || !job.isObject()) {
            throw ApiProblem.invalid("job", "is required: an object such as {\"type\": \"echo\", \"payload\": {}}");
        }
        List<FieldError> errors = new ArrayList<>();
        for (String timing : List.of("delaySeconds", "runAt")) {
            if (job.has(timing)) {
                errors.add(new FieldError("job." + timing, "is not allowed in a schedule's job: its fire times say"
                        + " when it runs"));
            }
        }
        JobSpec spec = null;
        try {
            spec = parse(Json.write(job), null);
        } catch (ApiProblem problem) {
            if (problem.status() != 400) {
                throw problem;
            }
            problem.errors().forEach(e -> errors.add(new FieldError("job." + e.field(), e.message())));
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
        return spec;
    }

    private static JsonNode parseJson(String body) {
        if (body == null || body.isBlank()) {
            throw ApiProblem.invalid("body", "is required: a JSON object such as {\"type\": \"echo\", \"payload\": {}}");
        }
        JsonNode root;
        try {
            root = Json.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiProblem.invalid("body", "is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr()));
        }
        if (root == null || !root.isObject()) {
            throw ApiProblem.invalid("body", "must be a JSON object");
        }
        return root;
    }

    private String type(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            errors.add(new FieldError("type", "is required; known types are " + new java.util.TreeSet<>(knownTypes)));
            return null;
        }
        if (!node.isTextual()) {
            errors.add(new FieldError("type", "must be a string"));
            return null;
        }
        if (!knownTypes.contains(node.asText())) {
            errors.add(new FieldError("type", "unknown job type '" + abbreviate(node.asText()) + "'; known types are "
                    + new java.util.TreeSet<>(knownTypes)));
            return null;
        }
        return node.asText();
    }

    private static int wholeNumber(JsonNode root, String field, int min, int max, int fallback,
                                   List<FieldError> errors) {
        JsonNode node = root.get(field);
        if (node == null) {
            return fallback;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < min || node.asInt() > max) {
            errors.add(new FieldError(field, "must be a whole number from " + min + " to " + max));
            return fallback;
        }
        return node.asInt();
    }

    /** An RFC 3339 date-time with its offset, at most {@link JobSpec#MAX_DELAY} ahead; a past one means now. */
    private Instant runAt(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return null;
        }
        String example = "an RFC 3339 date-time with an offset, such as 2027-01-31T09:00:00Z or 2027-01-31T10:00:00+01:00";
        if (!node.isTextual()) {
            errors.add(new FieldError("runAt", "must be " + example));
            return null;
        }
        Instant runAt;
        try {
            runAt = OffsetDateTime.parse(node.asText(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            errors.add(new FieldError("runAt", "'" + abbreviate(node.asText()) + "' is not " + example));
            return null;
        }
        Instant latest = clock.instant().plus(JobSpec.MAX_DELAY);
        if (runAt.isAfter(latest)) {
            errors.add(new FieldError("runAt", "is more than " + JobSpec.MAX_DELAY.toDays()
                    + " days ahead; the latest run time now is " + latest.truncatedTo(ChronoUnit.SECONDS)));
            return null;
        }
        return runAt;
    }

    private static String rateKey(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.asText().isEmpty() || node.asText().length() > JobSpec.MAX_RATE_KEY_LENGTH
                || node.asText().chars().anyMatch(Character::isISOControl)) {
            errors.add(new FieldError("rateKey", "must be a string of 1 to " + JobSpec.MAX_RATE_KEY_LENGTH
                    + " characters without control characters, such as an account's id"));
            return null;
        }
        return node.asText();
    }

    /** Up to {@link Tags#MAX_TAGS} distinct tags, each by {@link Tags}' rule; a wrong one is named {@code tags[i]}. */
    private static List<String> tags(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray() || node.size() > Tags.MAX_TAGS) {
            errors.add(new FieldError("tags", "must be an array of 0 to " + Tags.MAX_TAGS + " distinct tags, such as"
                    + " [\"user:42\"]"));
            return List.of();
        }
        List<String> tags = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode tag = node.get(i);
            if (!tag.isTextual() || !Tags.isValid(tag.asText())) {
                errors.add(new FieldError("tags[" + i + "]", "must be " + Tags.RULE));
            } else if (tags.contains(tag.asText())) {
                errors.add(new FieldError("tags[" + i + "]", "repeats '" + tag.asText() + "'; tags are distinct"));
            } else {
                tags.add(tag.asText());
            }
        }
        return tags;
    }

    private String callbackUrl(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.asText().length() > 2048) {
            errors.add(new FieldError("callbackUrl", "must be a URL of at most 2048 characters"));
            return null;
        }
        try {
            return callbackGuard.check(node.asText()).toString();
        } catch (CallbackUrlGuard.UnsafeUrl e) {
            errors.add(new FieldError("callbackUrl", e.getMessage()));
            return null;
        }
    }

    /** An {@code http} job's URL is checked when the job is accepted, as a callback is, not first when it runs. */
    private void httpJobUrl(String type, JsonNode payload, List<FieldError> errors) {
        if (!"http".equals(type) || payload == null || !payload.isObject()) {
            return; // the handler names what an http payload lacks
        }
        JsonNode url = payload.get("url");
        if (url == null || !url.isTextual() || url.asText().length() > 2048) {
            errors.add(new FieldError("payload.url", "is required for an http job: a URL of at most 2048 characters"));
            return;
        }
        try {
            callbackGuard.check(url.asText());
        } catch (CallbackUrlGuard.UnsafeUrl e) {
            errors.add(new FieldError("payload.url", e.getMessage()));
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "..." : text;
    }
}
