package io.jobway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobway.api.ApiProblem.FieldError;
import io.jobway.events.HttpApiRequest;
import io.jobway.events.HttpApiResponse;
import io.jobway.job.JobSpec;
import io.jobway.json.Json;
import io.jobway.obs.Log;
import io.jobway.schedule.CronSchedule;
import io.jobway.schedule.Schedule;
import io.jobway.schedule.ScheduleStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The schedule routes: create, read (with the next five fire times and the last fired job), replace, delete and
 * list a tenant's cron schedules. The sweeper fires them ({@code ScheduleFirer}).
 */
final class SchedulesApi {
    private static final Set<String> FIELDS = Set.of("name", "cron", "timezone", "job", "enabled", "catchUp");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1," + Schedule.MAX_NAME_LENGTH + "}");
    private static final int PAGE = 100;
    private static final int SAVE_TRIES = 3;

    private final ScheduleStore store;
    private final SubmitRequestParser jobs;
    private final Clock clock;
    private final Cursors cursors;

    SchedulesApi(ScheduleStore store, SubmitRequestParser jobs, Cursors cursors, Clock clock) {
        this.cursors = cursors;
        this.store = store;
        this.jobs = jobs;
        this.clock = clock;
    }

    /** {@code POST /v1/schedules}: 201, or 409 when the name is taken. */
    HttpApiResponse create(HttpApiRequest request) {
        JsonNode body = body(request.body());
        Instant now = clock.instant();
        Schedule schedule = parse(request.tenantId(), body, null, now, 1, now);
        if (!store.create(schedule)) {
            throw new ApiProblem(409, "schedule-exists", "A schedule of that name exists", "schedule '"
                    + schedule.name() + "' exists; PUT /v1/schedules/" + schedule.name() + " replaces it",
                    List.of(new FieldError("name", "is taken")), Map.of());
        }
        Log.info("schedule.created", "tenantId", schedule.tenantId(), "schedule", schedule.name(), "cron",
                schedule.cron(), "timezone", schedule.timezone());
        return HttpApiResponse.json(201, view(schedule)).withHeader("location", "/v1/schedules/" + schedule.name());
    }

    /** {@code PUT /v1/schedules/{name}}: replaces the schedule (its next fire time is worked out anew); 404 if none. */
    HttpApiResponse replace(HttpApiRequest request) {
        String name = name(request);
        JsonNode body = body(request.body());
        for (int tries = 0; tries < SAVE_TRIES; tries++) {
            Schedule current = own(request.tenantId(), name);
            Instant now = clock.instant();
            Schedule next = parse(request.tenantId(), body, name, now, current.version() + 1, current.createdAt());
            next = new Schedule(next.tenantId(), next.name(), next.cron(), next.timezone(), next.job(), next.enabled(),
                    next.catchUp(), next.nextFireAt(), current.lastFiredAt(), current.lastJobId(), next.version(),
                    next.createdAt(), next.updatedAt());
            if (store.save(current, next)) {
                Log.info("schedule.replaced", "tenantId", next.tenantId(), "schedule", name, "cron", next.cron());
                return HttpApiResponse.json(200, view(next));
            }
        }
        throw new ApiProblem(409, "concurrent-change", "The schedule kept changing",
                "schedule '" + name + "' changed on every try (the sweeper fires it); try again", List.of(), Map.of());
    }

    HttpApiResponse read(HttpApiRequest request) {
        return HttpApiResponse.json(200, view(own(request.tenantId(), name(request))));
    }

    HttpApiResponse delete(HttpApiRequest request) {
        String name = name(request);
        if (!store.delete(request.tenantId(), name)) {
            throw ApiProblem.notFound("no schedule " + name);
        }
        Log.info("schedule.deleted", "tenantId", request.tenantId(), "schedule", name);
        return new HttpApiResponse(204, Map.of(), null);
    }

    HttpApiResponse list(HttpApiRequest request) {
        for (String param : request.queryParameters().keySet()) {
            if (!param.equals("cursor")) {
                throw ApiProblem.invalid(param, "unknown query parameter; allowed is [cursor]");
            }
        }
        String after = cursors.decode(request, "schedules", name -> NAME.matcher(name).matches());
        ScheduleStore.Page page = store.list(request.tenantId(), after, PAGE);
        ObjectNode body = Json.object();
        ArrayNode items = body.putArray("items");
        page.items().forEach(s -> items.add(view(s)));
        body.put("nextCursor", cursors.encode(request, "schedules", page.nextAfter()));
        return HttpApiResponse.json(200, body);
    }

    private Schedule own(String tenantId, String name) {
        return store.find(tenantId, name).orElseThrow(() -> ApiProblem.notFound("no schedule " + name));
    }

    private static String name(HttpApiRequest request) {
        String name = request.pathParameters().get("name");
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiProblem.notFound("no schedule " + name);
        }
        return name;
    }

    private static JsonNode body(String body) {
        return JsonBodies.object(body, "{\"name\": \"nightly-report\", \"cron\": \"0 2 * * *\", \"timezone\":"
                + " \"Europe/Berlin\", \"job\": {\"type\": \"echo\"}}");
    }

    /** The schedule a body describes; {@code pathName} is the name a PUT gives (the body may repeat it). */
    private Schedule parse(String tenantId, JsonNode root, String pathName, Instant now, long version,
                           Instant createdAt) {
        List<FieldError> errors = new ArrayList<>();
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!FIELDS.contains(field)) {
                errors.add(new FieldError(field, "unknown field; allowed fields are " + new TreeSet<>(FIELDS)));
            }
        }
        String name = text(root, "name", pathName == null, errors);
        if (name != null && !NAME.matcher(name).matches()) {
            errors.add(new FieldError("name", "must be 1 to " + Schedule.MAX_NAME_LENGTH
                    + " letters, digits, '.', '_' or '-'"));
        } else if (pathName != null && name != null && !name.equals(pathName)) {
            errors.add(new FieldError("name", "is '" + name + "' but the path names '" + pathName
                    + "'; a schedule cannot be renamed"));
        }
        String cron = text(root, "cron", true, errors);
        String timezone = root.has("timezone") ? text(root, "timezone", true, errors) : "UTC";
        CronSchedule parsed = null;
        if (cron != null && timezone != null) {
            try {
                parsed = CronSchedule.parse(cron, timezone);
            } catch (CronSchedule.Invalid e) {
                errors.add(new FieldError(e.field(), e.getMessage()));
            }
        }
        boolean enabled = true;
        if (root.has("enabled")) {
            if (root.get("enabled").isBoolean()) {
                enabled = root.get("enabled").asBoolean();
            } else {
                errors.add(new FieldError("enabled", "must be true or false"));
            }
        }
        Schedule.CatchUp catchUp = Schedule.CatchUp.LATEST;
        if (root.has("catchUp")) {
            try {
                catchUp = Schedule.CatchUp.fromWire(root.get("catchUp").asText(null));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("catchUp", e.getMessage()));
            }
        }
        JobSpec job = null;
        try {
            job = jobs.parseScheduledJob(root.get("job"));
        } catch (ApiProblem problem) {
            if (problem.status() != 400) {
                throw problem;
            }
            errors.addAll(problem.errors());
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
        Instant next = enabled ? parsed.nextAfter(now).orElse(null) : null;
        return new Schedule(tenantId, pathName != null ? pathName : name, parsed.expression(), timezone, job, enabled,
                catchUp, next, null, null, version, createdAt, now);
    }

    private static String text(JsonNode root, String field, boolean required, List<FieldError> errors) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                errors.add(new FieldError(field, "is required"));
            }
            return null;
        }
        if (!node.isTextual()) {
            errors.add(new FieldError(field, "must be a string"));
            return null;
        }
        return node.asText();
    }

    private ObjectNode view(Schedule s) {
        ObjectNode node = Json.object();
        node.put("name", s.name());
        node.put("cron", s.cron());
        node.put("timezone", s.timezone());
        ObjectNode job = node.putObject("job");
        job.put("type", s.job().type());
        job.set("payload", s.job().payload() == null ? null : Json.parse(s.job().payload()));
        job.put("maxAttempts", s.job().maxAttempts());
        job.put("timeoutSeconds", s.job().timeoutSeconds());
        job.put("callbackUrl", s.job().callbackUrl());
        job.put("rateKey", s.job().rateKey());
        job.put("priority", s.job().priority().wireName());
        s.job().tags().forEach(job.putArray("tags")::add);
        node.put("enabled", s.enabled());
        node.put("catchUp", s.catchUp().wireName());
        ArrayNode next = node.putArray("nextFireTimes");
        if (s.enabled() && s.nextFireAt() != null) {
            next.add(s.nextFireAt().toString());
            s.cronSchedule().next(4, s.nextFireAt()).forEach(t -> next.add(t.toString()));
        }
        if (s.lastJobId() == null) {
            node.putNull("lastFired");
        } else {
            node.putObject("lastFired").put("jobId", s.lastJobId()).put("fireTime", s.lastFiredAt().toString());
        }
        node.put("createdAt", s.createdAt().toString());
        node.put("updatedAt", s.updatedAt().toString());
        return node;
    }
}
