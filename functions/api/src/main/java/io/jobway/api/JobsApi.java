package io.jobway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobway.job.IllegalTransition;
import io.jobway.job.Job;
import io.jobway.job.JobIds;
import io.jobway.job.JobSpec;
import io.jobway.job.JobStatus;
import io.jobway.job.Tags;
import io.jobway.json.Json;
import io.jobway.limits.TenantQuotas;
import io.jobway.dlq.UnclaimedDeadLetters;
import io.jobway.events.HttpApiRequest;
import io.jobway.events.HttpApiResponse;
import io.jobway.notify.CallbackUrlGuard;
import io.jobway.obs.Log;
import io.jobway.queue.JobMessage;
import io.jobway.queue.JobQueue;
import io.jobway.schedule.ScheduleStore;
import io.jobway.store.ConcurrentJobModification;
import io.jobway.submit.JobSubmitter;
import io.jobway.submit.Submission;
import io.jobway.store.JobPage;
import io.jobway.store.JobQuery;
import io.jobway.store.JobStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.core.exception.SdkException;

/** The routes of HTTP API v1, all in one place. */
final class JobsApi {
    static final Duration IDEMPOTENCY_WINDOW = Duration.ofHours(24);
    static final int MAX_BATCH = 100;
    /** A batch's Idempotency-Key leaves room for ":99" within an item key's 255 characters. */
    static final int MAX_BATCH_KEY_LENGTH = SubmitRequestParser.MAX_IDEMPOTENCY_KEY_LENGTH - 3;
    /** A requeued job not claimed within this long gets its message re-sent by the sweeper. */
    static final Duration REQUEUE_SWEEP_AFTER = Duration.ofMinutes(2);
    private static final Set<String> LIST_PARAMETERS = Set.of("status", "type", "tag", "limit", "cursor");
    /** "dead or cancelled", for the answer to a retry the job's state does not allow. */
    private static final String RETRYABLE = String.join(" or ",
            JobStatus.retryable().stream().map(JobStatus::wireName).toList());

    private final JobStore store;
    private final JobQueue queue;
    private final SubmitRequestParser parser;
    private final JobSubmitter submitter;
    private final Duration retention;
    private final Clock clock;
    private final HealthCheck health;
    private final WebhooksApi webhooks;
    private final HooksApi hooks;
    private final LimitsApi limits;
    private final SchedulesApi schedules;
    private final DlqApi dlq;
    private final KeysApi keys;
    private final Cursors cursors;
    private final TokensApi tokens;
    private final TenantQuotas quotas;
    private final StatsApi stats;

    JobsApi(JobStore store, JobQueue queue, Set<String> jobTypes, CallbackUrlGuard callbackGuard, Duration retention,
            Clock clock, HealthCheck health, WebhooksApi webhooks, HooksApi hooks, LimitsApi limits,
            ScheduleStore schedules, UnclaimedDeadLetters unclaimed, KeysApi keys, Cursors cursors, TokensApi tokens,
            TenantQuotas quotas, StatsApi stats) {
        this.stats = stats;
        this.tokens = tokens;
        this.quotas = quotas;
        this.keys = keys;
        this.limits = limits;
        this.webhooks = webhooks;
        this.hooks = hooks;
        this.store = store;
        this.queue = queue;
        this.parser = new SubmitRequestParser(jobTypes, callbackGuard, clock);
        this.cursors = cursors;
        this.schedules = new SchedulesApi(schedules, parser, cursors, clock);
        this.dlq = new DlqApi(store, queue, unclaimed, cursors, clock);
        this.submitter = new JobSubmitter(store, queue, clock);
        this.retention = retention;
        this.clock = clock;
        this.health = health;
    }

    HttpApiResponse handle(HttpApiRequest request) {
        try {
            return route(request);
        } catch (ApiProblem problem) {
            return problem.toResponse(request.path());
        } catch (SdkException e) {
            Log.error("api.dependency-failed", "route", request.routeKey(), "error", e.getMessage());
            return new ApiProblem(503, "unavailable", "Temporarily unavailable",
                    "a storage or queue call failed; nothing was changed that you cannot retry. Try again shortly.",
                    List.of(), Map.of("retry-after", "1")).toResponse(request.path());
        }
    }

    /**
     * A body is JSON and says so: {@code application/json} or a {@code +json} type, in UTF-8 if a charset is named.
     * curl's {@code -d} alone sends a form type, and a body read as JSON regardless would hide that mistake.
     */
    private static void requireJsonBody(HttpApiRequest request) {
        if (request.body() == null || request.body().isEmpty()) {
            return;
        }
        String given = request.headers().get("content-type");
        if (given == null || !isJsonInUtf8(given)) {
            throw new ApiProblem(415, "unsupported-media-type", "Unsupported Media Type",
                    "the body must be JSON sent as 'Content-Type: application/json'"
                            + (given == null ? "; this request named no Content-Type" : "; this request sent '"
                            + abbreviate(given) + "'"),
                    List.of(new ApiProblem.FieldError("Content-Type", "must be application/json")), Map.of());
        }
    }

    private static boolean isJsonInUtf8(String contentType) {
        String[] parts = contentType.split(";");
        String type = parts[0].trim().toLowerCase(java.util.Locale.ROOT);
        if (!type.equals("application/json") && !(type.startsWith("application/") && type.endsWith("+json"))) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].split("=", 2);
            if (parameter[0].trim().equalsIgnoreCase("charset") && (parameter.length < 2
                    || !parameter[1].trim().replace("\"", "").equalsIgnoreCase("utf-8"))) {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String text) {
        return text.length() > 100 ? text.substring(0, 100) + "..." : text;
    }

    private HttpApiResponse route(HttpApiRequest request) {
        if (request.routeKey() == null || RouteScopes.needed(request.routeKey()).isEmpty()) {
            throw ApiProblem.notFound("no route " + (request.routeKey() == null ? "for this request" : request.routeKey()));
        }
        if (request.routeKey().equals("POST /v1/hooks/{source}")) {
            HooksApi.Verified event = hooks.verify(request); // the sender's signature authenticates it
            withinQuota(event.tenantId(), TenantQuotas.Kind.JOBS, 1);
            Submission submission = submitter.submit(event.tenantId(), event.spec(), HooksApi.EVENT_WINDOW);
            if (submission instanceof Submission.KeyReused reused) {
                throw new ApiProblem(422, "event-id-reused", "Event id reused with a different body",
                        "this event id was accepted before with a different body (job " + reused.originalJobId()
                                + "); a sender signs one body per event id", List.of(new ApiProblem.FieldError("id",
                        "already accepted with a different body")), Map.of());
            }
            return answer(submission);
        }
        if (request.routeKey().equals("GET /v1/openapi.yaml")) {
            return OpenApiDocument.response();
        }
        if (request.tenantId() == null && !request.routeKey().equals("GET /v1/health")) {
            throw new ApiProblem(401, "unauthorized", "Unauthorized",
                    "send your API key as 'Authorization: Bearer <key>'", List.of(), Map.of());
        }
        if (request.expiresAt() != null && !clock.instant().isBefore(request.expiresAt())) {
            // the authorizer's allow outlives the credential in API Gateway's cache: refuse it here
            throw new ApiProblem(401, "credential-expired", "Unauthorized", "this "
                    + (request.grant() != null ? "browser token" : "token") + " expired at " + request.expiresAt()
                    + "; get a new one", List.of(), Map.of());
        }
        if (request.grant() != null) {
            tokens.admit(request); // a browser token: its own jobs, read only
        } else {
            RouteScopes.require(request.routeKey(), request.scopes());
        }
        if (request.tenantId() != null) {
            withinQuota(request.tenantId(), TenantQuotas.Kind.REQUESTS, 1);
        }
        requireJsonBody(request);
        return switch (request.routeKey()) {
            case "GET /v1/health" -> HttpApiResponse.json(health.ok() ? 200 : 503, health.report());
            case "POST /v1/jobs" -> submit(request);
            case "POST /v1/jobs/batch" -> submitBatch(request);
            case "GET /v1/jobs" -> list(request);
            case "GET /v1/jobs/{id}" -> HttpApiResponse.json(200, JobView.of(ownJob(request)));
            case "POST /v1/jobs/{id}/cancel" -> cancel(request);
            case "POST /v1/jobs/{id}/retry" -> retry(request);
            case "GET /v1/jobs/{id}/deliveries" -> webhooks.deliveries(ownJob(request).jobId());
            case "POST /v1/webhook-secrets" -> webhooks.rotate(request.tenantId());
            case "GET /v1/webhook-secrets" -> webhooks.list(request.tenantId());
            case "POST /v1/hook-sources" -> hooks.createSource(request);
            case "GET /v1/hook-sources" -> hooks.listSources(request);
            case "POST /v1/tokens" -> tokens.create(request);
            case "POST /v1/keys" -> keys.create(request);
            case "GET /v1/keys" -> keys.list(request);
            case "DELETE /v1/keys/{keyId}" -> keys.revoke(request);
            case "POST /v1/hook-sources/{id}/rotate" -> hooks.rotateSource(request);
            case "DELETE /v1/hook-sources/{id}" -> hooks.deleteSource(request);
            case "PUT /v1/limits/{type}" -> limits.put(request);
            case "DELETE /v1/limits/{type}" -> limits.delete(request);
            case "GET /v1/limits" -> limits.list(request);
            case "GET /v1/dlq" -> dlq.list(request);
            case "POST /v1/dlq/redrive" -> dlq.redrive(request);
            case "POST /v1/dlq/purge" -> dlq.purge(request);
            case "GET /v1/dlq/unclaimed" -> dlq.unclaimed(request);
            case "GET /v1/stats" -> stats.stats(request);
            case "POST /v1/schedules" -> schedules.create(request);
            case "GET /v1/schedules" -> schedules.list(request);
            case "GET /v1/schedules/{name}" -> schedules.read(request);
            case "PUT /v1/schedules/{name}" -> schedules.replace(request);
            case "DELETE /v1/schedules/{name}" -> schedules.delete(request);
            default -> throw ApiProblem.notFound("no route " + request.routeKey());
        };
    }

    private HttpApiResponse submit(HttpApiRequest request) {
        String key = request.header("idempotency-key");
        return accept(request.tenantId(), parser.parse(request.body(), key), IDEMPOTENCY_WINDOW);
    }

    /**
     * {@code POST /v1/jobs/batch}: up to {@link #MAX_BATCH} jobs in one call, each validated and answered on its own,
     * in order: {@code {items: [{index, status, job | error}], accepted}}. A wrong item does not stop the others.
     * An {@code Idempotency-Key} header keys each item that has no key of its own {@code <key>:<index>}, so a batch
     * sent again after a lost answer replays the items it had accepted instead of making them twice.
     */
    private HttpApiResponse submitBatch(HttpApiRequest request) {
        String batchKey = request.header("idempotency-key");
        if (batchKey != null && (batchKey.isBlank() || batchKey.length() > MAX_BATCH_KEY_LENGTH)) {
            throw ApiProblem.invalid("Idempotency-Key", "must be 1 to " + MAX_BATCH_KEY_LENGTH
                    + " characters on a batch (each item's key is it, ':' and the item's index)");
        }
        JsonNode root = JsonBodies.object(request.body(), "{\"jobs\": [{\"type\": \"echo\", \"payload\": {}}]}");
        if (!root.has("jobs") || !root.get("jobs").isArray()) {
            throw ApiProblem.invalid("jobs", "is required: {\"jobs\": [{\"type\": \"echo\", \"payload\": {}}, ...]}");
        }
        root.fieldNames().forEachRemaining(name -> {
            if (!name.equals("jobs")) {
                throw ApiProblem.invalid(name, "unknown field; the body is {\"jobs\": [...]}");
            }
        });
        JsonNode items = root.get("jobs");
        if (items.isEmpty() || items.size() > MAX_BATCH) {
            throw ApiProblem.invalid("jobs", "holds " + items.size() + " jobs; a batch holds 1 to " + MAX_BATCH);
        }
        ObjectNode[] answers = new ObjectNode[items.size()];
        List<Integer> valid = new java.util.ArrayList<>();
        List<JobSpec> specs = new java.util.ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            try {
                specs.add(parser.parseBatchItem(items.get(i), batchKey == null ? null : batchKey + ":" + i));
                valid.add(i);
            } catch (ApiProblem problem) {
                answers[i] = itemProblem(i, problem, request.path());
            }
        }
        withinQuota(request.tenantId(), TenantQuotas.Kind.JOBS, specs.size()); // the whole batch, or none of it
        List<Submission> submitted = specs.isEmpty() ? List.of()
                : submitter.submitAll(request.tenantId(), specs, IDEMPOTENCY_WINDOW);
        int accepted = 0;
        for (int k = 0; k < submitted.size(); k++) {
            int index = valid.get(k);
            try {
                HttpApiResponse one = answer(submitted.get(k));
                answers[index] = Json.object().put("index", index).put("status", one.status());
                answers[index].set("job", Json.parse(one.body()));
                accepted += one.status() == 202 ? 1 : 0;
            } catch (ApiProblem problem) {
                answers[index] = itemProblem(index, problem, request.path());
            }
        }
        ObjectNode body = Json.object();
        ArrayNode list = body.putArray("items");
        for (ObjectNode answer : answers) {
            list.add(answer);
        }
        body.put("accepted", accepted);
        return HttpApiResponse.json(200, body);
    }

    private static ObjectNode itemProblem(int index, ApiProblem problem, String path) {
        ObjectNode node = Json.object().put("index", index).put("status", problem.status());
        node.set("error", Json.parse(problem.toJson(path)));
        return node;
    }

    /**
     * Records and enqueues a job for a tenant. With an idempotency key, the same key and request give the
     * original job back (200) and a different request with the key a 422.
     */
    HttpApiResponse accept(String tenant, JobSpec spec, Duration idempotencyWindow) {
        withinQuota(tenant, TenantQuotas.Kind.JOBS, 1);
        return answer(submitter.submit(tenant, spec, idempotencyWindow));
    }

    /** Counts {@code n} against the tenant's quota; a 429 with Retry-After, before any write, when it is full. */
    private void withinQuota(String tenantId, TenantQuotas.Kind kind, int n) {
        quotas.take(tenantId, kind, n, clock.instant()).ifPresent(full -> {
            long wait = Math.max(1, Duration.between(clock.instant(), full.windowEnds()).toSeconds() + 1);
            String unit = kind == TenantQuotas.Kind.REQUESTS ? " requests a minute" : " jobs a day (UTC)";
            throw new ApiProblem(429, "quota-exceeded", "Quota exceeded", "this tenant's quota is " + full.limit()
                    + unit + (n > 1 ? "; these " + n + " would go over it" : " and it is used up") + "; the window ends at "
                    + full.windowEnds(), List.of(), Map.of("retry-after", Long.toString(wait)));
        });
    }

    /** The answer to one submission: the job (202, or 200 replayed), or the problem thrown. */
    private static HttpApiResponse answer(Submission submission) {
        return switch (submission) {
            case Submission.Accepted accepted -> HttpApiResponse.json(202, JobView.of(accepted.job()))
                    .withHeader("location", "/v1/jobs/" + accepted.job().jobId());
            case Submission.Replayed replayed -> HttpApiResponse.json(200, JobView.of(replayed.job()))
                    .withHeader("location", "/v1/jobs/" + replayed.job().jobId())
                    .withHeader("idempotent-replayed", "true");
            case Submission.KeyReused reused -> throw new ApiProblem(422, "idempotency-key-reused",
                    "Idempotency-Key reused with a different request", "this Idempotency-Key was first used for job "
                    + reused.originalJobId() + " with a different request body; use a new key for a new job",
                    List.of(new ApiProblem.FieldError("Idempotency-Key", "already used with a different body")),
                    Map.of());
            case Submission.KeyInFlight inFlight -> throw new ApiProblem(409, "idempotency-key-in-flight",
                    "A request with this Idempotency-Key is still in progress",
                    "the first request with this key has not finished; retry in a moment", List.of(),
                    Map.of("retry-after", "1"));
            // A worker gave this id up (tombstone) or ids collided: the job was not accepted; the client retries.
            case Submission.NotRecorded notRecorded -> throw new ApiProblem(503, "unavailable",
                    "Temporarily unavailable", "the job could not be recorded; nothing was accepted. Try again.",
                    List.of(), Map.of("retry-after", "1"));
        };
    }

    private HttpApiResponse list(HttpApiRequest request) {
        Map<String, String> params = request.queryParameters();
        for (String name : params.keySet()) {
            if (!LIST_PARAMETERS.contains(name)) {
                throw ApiProblem.invalid(name, "unknown query parameter; allowed are " + new java.util.TreeSet<>(
                        LIST_PARAMETERS));
            }
        }
        JobStatus status = parseParam(params, "status", JobStatus::fromWire);
        int limit = Optional.ofNullable(parseParam(params, "limit", JobsApi::limit)).orElse(JobQuery.DEFAULT_LIMIT);
        String after = cursors.decode(request, "jobs", JobIds::isValid);
        String type = params.get("type");
        String tag = parseParam(params, "tag", JobsApi::tag);
        JobPage page = store.list(request.tenantId(), new JobQuery(status, type, limit, after).withTag(tag));
        ObjectNode body = Json.object();
        ArrayNode items = body.putArray("items");
        page.items().stream().filter(job -> !expired(job)).forEach(job -> items.add(JobView.of(job)));
        body.put("nextCursor", cursors.encode(request, "jobs", page.nextAfterJobId()));
        return HttpApiResponse.json(200, body);
    }

    static <T> T parseParam(Map<String, String> params, String name, Function<String, T> parse) {
        String value = params.get(name);
        if (value == null) {
            return null;
        }
        try {
            return parse.apply(value);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.invalid(name, e.getMessage());
        }
    }

    static String tag(String value) {
        if (!Tags.isValid(value)) {
            throw new IllegalArgumentException("must be " + Tags.RULE);
        }
        return value;
    }

    static int limit(String value) {
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= JobQuery.MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("must be a whole number from 1 to " + JobQuery.MAX_LIMIT);
    }

    private HttpApiResponse cancel(HttpApiRequest request) {
        Job saved = change(request, job -> job.cancel(clock.instant(), retention),
                refused -> ApiProblem.conflict("job-finished", "job " + refused.jobId() + " is already "
                        + refused.from().wireName() + " and cannot be cancelled"));
        Log.info("job.cancel-requested", "jobId", saved.jobId(), "tenantId", saved.tenantId(),
                "status", saved.status().wireName());
        return HttpApiResponse.json(saved.status() == JobStatus.CANCELLED ? 200 : 202, JobView.of(saved));
    }

    private HttpApiResponse retry(HttpApiRequest request) {
        Job saved = change(request, job -> {
            Instant now = clock.instant();
            return job.requeue(now, now.plus(REQUEUE_SWEEP_AFTER));
        }, refused -> ApiProblem.conflict("job-not-retryable", "job " + refused.jobId() + " is "
                + refused.from().wireName() + "; only " + RETRYABLE + " jobs can be retried"));
        // Recorded first, then sent: if the send is lost, the sweeper re-sends (the job is in the due index).
        queue.send(JobMessage.of(saved), Duration.ZERO);
        Log.info("job.requeued", "jobId", saved.jobId(), "tenantId", saved.tenantId());
        return HttpApiResponse.json(202, JobView.of(saved)).withHeader("location", "/v1/jobs/" + saved.jobId());
    }

    /**
     * Applies a verb to the caller's job, re-reading and trying again when a worker wrote meanwhile. A move the
     * job's state does not allow becomes the problem {@code refused} makes of it.
     */
    private Job change(HttpApiRequest request, UnaryOperator<Job> change, Function<IllegalTransition, ApiProblem> refused) {
        for (int tries = 0; ; tries++) {
            Job job = ownJob(request);
            Job next;
            try {
                next = change.apply(job);
            } catch (IllegalTransition e) {
                throw refused.apply(e);
            }
            if (next == job) {
                return job;
            }
            try {
                return store.save(job, next);
            } catch (ConcurrentJobModification e) {
                if (tries == 4) {
                    throw new ApiProblem(409, "concurrent-change", "The job kept changing",
                            "job " + job.jobId() + " changed on every try; read it and try again", List.of(), Map.of());
                }
            }
        }
    }

    /**
     * The caller's job; another tenant's job is exactly as missing as one that does not exist, and so is, for a
     * browser token of a tag, a job without that tag.
     */
    private Job ownJob(HttpApiRequest request) {
        String id = request.pathParameters().get("id");
        if (!JobIds.isValid(id)) {
            throw ApiProblem.notFound("no job " + id);
        }
        return store.find(id).filter(job -> job.tenantId().equals(request.tenantId()) && !expired(job)
                        && (request.grant() == null || request.grant().covers(job.jobId(), job.tags())))
                .orElseThrow(() -> ApiProblem.notFound("no job " + id));
    }

    /**
     * A finished job is kept {@code JobRetentionDays}, then DynamoDB's TTL deletes it, within days. Until then
     * (and forever on DynamoDB Local, which expires nothing) it is as gone as a deleted one.
     */
    private boolean expired(Job job) {
        return job.expiresAt() != null && !job.expiresAt().isAfter(clock.instant());
    }
}
