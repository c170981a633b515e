package io.jobway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobway.dlq.UnclaimedDeadLetter;
import io.jobway.dlq.UnclaimedDeadLetters;
import io.jobway.events.HttpApiRequest;
import io.jobway.events.HttpApiResponse;
import io.jobway.job.IllegalTransition;
import io.jobway.job.Job;
import io.jobway.job.JobIds;
import io.jobway.job.JobStatus;
import io.jobway.json.Json;
import io.jobway.obs.Log;
import io.jobway.queue.JobMessage;
import io.jobway.queue.JobQueue;
import io.jobway.store.ConcurrentJobModification;
import io.jobway.store.JobPage;
import io.jobway.store.JobQuery;
import io.jobway.store.JobStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The dead-letter workflow, over a tenant's dead jobs (the table is the truth; the DLQ holds their messages'
 * copies): list them with their last error, filtered; redrive one, a filtered set or all, each with a fresh attempt
 * budget; purge those dead longer than N days. A redriven or purged job's DLQ copy is removed by the sweeper, which
 * finds it stale, so the DLQ's depth stays the count of dead jobs.
 */
final class DlqApi {
    /** Jobs a redrive or purge call handles at most; {@code more} says to call again. */
    static final int MAX_PER_CALL = 100;
    private static final Set<String> LIST_PARAMETERS = Set.of("type", "errorType", "since", "until", "limit", "cursor");
    private static final Set<String> FILTER_FIELDS = Set.of("type", "errorType", "since", "until");

    private static final Set<String> UNCLAIMED_PARAMETERS = Set.of("unattributed", "limit", "cursor");
    /** An unclaimed listing's cursor: the sort key a page ended at (DynamoUnclaimedDeadLetters). */
    private static final Pattern UNCLAIMED_CURSOR = Pattern.compile("[0-9]{13}#[A-Za-z0-9-]{1,100}");

    private final JobStore store;
    private final JobQueue queue;
    private final UnclaimedDeadLetters unclaimed;
    private final Clock clock;
    private final Cursors cursors;

    DlqApi(JobStore store, JobQueue queue, UnclaimedDeadLetters unclaimed, Cursors cursors, Clock clock) {
        this.cursors = cursors;
        this.store = store;
        this.queue = queue;
        this.unclaimed = unclaimed;
        this.clock = clock;
    }

    /** {@code GET /v1/dlq}: dead jobs, newest first, with how long they have been dead. */
    HttpApiResponse list(HttpApiRequest request) {
        Map<String, String> params = request.queryParameters();
        for (String name : params.keySet()) {
            if (!LIST_PARAMETERS.contains(name)) {
                throw ApiProblem.invalid(name, "unknown query parameter; allowed are " + new TreeSet<>(LIST_PARAMETERS));
            }
        }
        int limit = Optional.ofNullable(JobsApi.parseParam(params, "limit", JobsApi::limit)).orElse(JobQuery.DEFAULT_LIMIT);
        String after = cursors.decode(request, "dlq", JobIds::isValid);
        JobQuery query = new JobQuery(JobStatus.DEAD, params.get("type"), limit, after, params.get("errorType"),
                JobsApi.parseParam(params, "since", DlqApi::instant), JobsApi.parseParam(params, "until", DlqApi::instant));
        JobPage page = store.list(request.tenantId(), query);
        Instant now = clock.instant();
        ObjectNode body = Json.object();
        ArrayNode items = body.putArray("items");
        for (Job job : page.items()) {
            ObjectNode view = JobView.of(job);
            view.put("deadForSeconds", job.finishedAt() == null ? 0 : Duration.between(job.finishedAt(), now).toSeconds());
            items.add(view);
        }
        body.put("nextCursor", cursors.encode(request, "dlq", page.nextAfterJobId()));
        return HttpApiResponse.json(200, body);
    }

    /**
     * {@code GET /v1/dlq/unclaimed}: the DLQ's messages that never had a job, newest first, as the sweeper noted
     * them (within a minute or so of their arrival). A message whose body names the caller's tenant is listed to it;
     * with {@code unattributed=true} it lists those whose body names no tenant. Jobway's own senders
     * always name one, so such a message was sent by someone with access to the queue: the deployment's operator.
     */
    HttpApiResponse unclaimed(HttpApiRequest request) {
        Map<String, String> params = request.queryParameters();
        for (String name : params.keySet()) {
            if (!UNCLAIMED_PARAMETERS.contains(name)) {
                throw ApiProblem.invalid(name, "unknown query parameter; allowed are " + new TreeSet<>(UNCLAIMED_PARAMETERS));
            }
        }
        String unattributed = params.getOrDefault("unattributed", "false");
        if (!unattributed.equals("true") && !unattributed.equals("false")) {
            throw ApiProblem.invalid("unattributed", "must be true or false");
        }
        boolean operatorView = unattributed.equals("true"); // the route needs the admin scope (RouteScopes)
        int limit = Optional.ofNullable(JobsApi.parseParam(params, "limit", JobsApi::limit)).orElse(JobQuery.DEFAULT_LIMIT);
        String list = operatorView ? "dlq/unclaimed/unattributed" : "dlq/unclaimed";
        String after = cursors.decode(request, list, sortKey -> UNCLAIMED_CURSOR.matcher(sortKey).matches());
        UnclaimedDeadLetters.Page page = unclaimed.list(operatorView ? null : request.tenantId(), after, limit);
        ObjectNode body = Json.object();
        ArrayNode items = body.putArray("items");
        for (UnclaimedDeadLetter letter : page.items()) {
            items.addObject().put("messageId", letter.messageId()).put("reason", letter.reason().wireName())
                    .put("jobId", letter.jobId()).put("body", letter.body()).put("sentAt", letter.sentAt().toString())
                    .put("seenAt", letter.seenAt().toString());
        }
        body.put("nextCursor", cursors.encode(request, list, page.nextAfter()));
        return HttpApiResponse.json(200, body);
    }

    /**
     * {@code POST /v1/dlq/redrive} with {@code {jobIds: [...]}}, {@code {filter: {type, errorType, since, until}}} or
     * {@code {all: true}}: each job still dead goes back to queued with a fresh attempt budget, by a write
     * conditional on its version, so a repeated call (or two at once) revives each once.
     */
    HttpApiResponse redrive(HttpApiRequest request) {
        JsonNode root = JsonBodies.object(request.body(), "{\"jobIds\": [\"...\"]}");
        List<Job> jobs = selected(request.tenantId(), root);
        ObjectNode answer = Json.object();
        ArrayNode redriven = answer.putArray("redriven");
        ArrayNode skipped = answer.putArray("skipped");
        for (Job job : jobs) {
            Instant now = clock.instant();
            if (job.status() != JobStatus.DEAD) { // a cancelled job is retried by POST /v1/jobs/{id}/retry, not here
                skipped.addObject().put("jobId", job.jobId()).put("reason", "not dead: " + job.status().wireName());
                continue;
            }
            try {
                Job saved = store.save(job, job.requeue(now, now.plus(JobsApi.REQUEUE_SWEEP_AFTER)));
                queue.send(JobMessage.of(saved), Duration.ZERO); // recorded first: a lost send is the sweeper's
                redriven.add(saved.jobId());
                Log.info("job.redriven", "jobId", saved.jobId(), "tenantId", saved.tenantId());
            } catch (ConcurrentJobModification | IllegalTransition e) {
                skipped.addObject().put("jobId", job.jobId()).put("reason", "no longer dead");
            }
        }
        answer.put("more", jobs.size() == MAX_PER_CALL && !root.has("jobIds"));
        return HttpApiResponse.json(200, answer);
    }

    /** {@code POST /v1/dlq/purge} with {@code {olderThanDays: n}}: deletes jobs dead longer than that. */
    HttpApiResponse purge(HttpApiRequest request) {
        JsonNode root = JsonBodies.object(request.body(), "{\"olderThanDays\": 30}");
        for (var names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("olderThanDays")) {
                throw ApiProblem.invalid(name, "unknown field; the body is {\"olderThanDays\": n}");
            }
        }
        JsonNode days = root.get("olderThanDays");
        if (days == null || !days.isIntegralNumber() || !days.canConvertToInt() || days.asInt() < 0
                || days.asInt() > 3_650) {
            throw ApiProblem.invalid("olderThanDays", "is required: a whole number of days from 0 to 3650");
        }
        Instant cutoff = clock.instant().minus(Duration.ofDays(days.asInt()));
        JobPage page = store.list(request.tenantId(), new JobQuery(JobStatus.DEAD, null, MAX_PER_CALL, null, null,
                null, cutoff));
        int purged = 0;
        for (Job job : page.items()) {
            if (store.delete(job)) {
                purged++;
            }
        }
        Log.info("dlq.purged", "tenantId", request.tenantId(), "jobs", purged, "olderThanDays", days.asInt());
        return HttpApiResponse.json(200, Json.object().put("purged", purged).put("more", page.nextAfterJobId() != null));
    }

    private List<Job> selected(String tenantId, JsonNode root) {
        List<String> given = new ArrayList<>();
        root.fieldNames().forEachRemaining(given::add);
        if (given.size() != 1 || !Set.of("jobIds", "filter", "all").contains(given.get(0))) {
            throw ApiProblem.invalid("body", "must be one of {\"jobIds\": [...]}, {\"filter\": {...}} or {\"all\": true}");
        }
        switch (given.get(0)) {
            case "jobIds" -> {
                JsonNode ids = root.get("jobIds");
                if (!ids.isArray() || ids.isEmpty() || ids.size() > MAX_PER_CALL) {
                    throw ApiProblem.invalid("jobIds", "must list 1 to " + MAX_PER_CALL + " job ids");
                }
                List<Job> jobs = new ArrayList<>();
                for (JsonNode id : ids) {
                    if (!id.isTextual() || !JobIds.isValid(id.asText())) {
                        throw ApiProblem.invalid("jobIds", "'" + id + "' is not a job id");
                    }
                    Job job = store.find(id.asText()).filter(j -> j.tenantId().equals(tenantId))
                            .orElseThrow(() -> ApiProblem.notFound("no job " + id.asText()));
                    jobs.add(job);
                }
                return jobs;
            }
            case "all" -> {
                if (!root.get("all").isBoolean() || !root.get("all").asBoolean()) {
                    throw ApiProblem.invalid("all", "must be true");
                }
                return deadJobs(tenantId, null, null, null, null);
            }
            default -> {
                JsonNode filter = root.get("filter");
                if (!filter.isObject()) {
                    throw ApiProblem.invalid("filter", "must be an object with type, errorType, since or until");
                }
                filter.fieldNames().forEachRemaining(name -> {
                    if (!FILTER_FIELDS.contains(name)) {
                        throw ApiProblem.invalid("filter." + name, "unknown field; allowed are " + new TreeSet<>(FILTER_FIELDS));
                    }
                });
                return deadJobs(tenantId, text(filter, "type"), text(filter, "errorType"),
                        timeField(filter, "since"), timeField(filter, "until"));
            }
        }
    }

    private List<Job> deadJobs(String tenantId, String type, String errorType, Instant since, Instant until) {
        return store.list(tenantId, new JobQuery(JobStatus.DEAD, type, MAX_PER_CALL, null, errorType, since, until))
                .items();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiProblem.invalid("filter." + field, "must be a string");
        }
        return value.asText();
    }

    private static Instant timeField(JsonNode node, String field) {
        String value = text(node, field);
        try {
            return value == null ? null : instant(value);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.invalid("filter." + field, e.getMessage());
        }
    }

    private static Instant instant(String value) {
        try {
            return java.time.OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + value + "' is not an RFC 3339 date-time such as 2027-01-31T09:00:00Z");
        }
    }
}
