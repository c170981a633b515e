package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.auth.ApiKeys;
import io.jobway.auth.Scopes;
import io.jobway.job.Job;
import io.jobway.job.JobSpec;
import io.jobway.json.Json;
import io.jobway.local.LocalRuntime;
import io.jobway.local.template.CfnTemplate;
import io.jobway.local.template.EventSource;
import io.jobway.queue.JobMessage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two tenants, each with a key of every scope. Tenant A makes one of everything (jobs, an idempotency key, dead
 * jobs, a schedule, a webhook secret, hook sources, limits, a key, unclaimed dead letters, and enough of each that
 * its lists page); tenant B then walks every route of the template aimed at A's things. Every answer must be 404 or
 * 403 (and exactly what a thing that does not exist gets), or B's own write in B's own namespace, or a list of B's
 * own things only; no answer may hold anything of A's that the request did not itself name; and afterwards A's
 * things are as they were. A's cursors handed to B must be refused (400), in a test of their own.
 *
 * <p>All failures of a run are collected and reported together, so one run shows every leak.
 */
class TenantIsolationE2ETest {
    private static final LocalJobway jobway = LocalJobway.shared();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String RUN = alphanumeric(8).toLowerCase(java.util.Locale.ROOT);
    private static final String TENANT_A = "tenant-iso-a-" + RUN;
    private static final String TENANT_B = "tenant-iso-b-" + RUN;
    private static final String KEY_A = "jw_isoA" + RUN + "_" + alphanumeric(24);
    private static final String KEY_B = "jw_isoB" + RUN + "_" + alphanumeric(24);
    private static final String MARKER = "iso-a-payload-marker-" + RUN;
    /** The payload of A's jobs with an Idempotency-Key, which B sends again word for word. */
    private static final String IDEMPOTENT_MARKER = "iso-a-idempotent-payload-" + RUN;
    private static final String SCHEDULE_A = "iso-a-nightly-" + RUN;
    private static final String SCHEDULE_A_CRON = "0 0 1 1 *";
    private static final String RATE_KEY_A = "iso-a-rate-" + RUN;
    /** The tag A's jobs carry: B may list by it, mint a token for it and subscribe to it, and sees none of them. */
    private static final String TAG_A = "iso-a:user/" + RUN;
    private static final String HOOK_SECRET_A = "whsec_isoA_" + alphanumeric(24);
    private static final String HOOK_SECRET_B = "whsec_isoB_" + alphanumeric(24);
    private static final List<String> IDEMPOTENCY_KEYS_A = List.of("iso-a-idem-1-" + RUN, "iso-a-idem-2-" + RUN,
            "iso-a-idem-3-" + RUN);
    /** Past a list route's fixed page of 100, so that A's list has a nextCursor. */
    private static final int FILLERS = 101;
    private static final Set<Integer> DENIED = Set.of(403, 404);
    private static final Set<Integer> UNAUTHENTICATED = Set.of(401, 403, 404);

    /** Everything of A's that B must never see, value to what it is. */
    private static final Map<String, String> OF_A = new LinkedHashMap<>();
    /**
     * Values of A's that B has since written into things of its own (B's job under A's Idempotency-Key and body, B's
     * limit of A's rate key): from then on B's own answers hold them, and only list items' ids tell A's from B's.
     */
    private static final Set<String> ALSO_B_S = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** A's list routes (with their query) to the nextCursor A got from them; null when A got none. */
    private static final Map<String, String> CURSORS_OF_A = new LinkedHashMap<>();
    private static final AtomicInteger PROBES = new AtomicInteger();
    private static final AtomicInteger LEAKS = new AtomicInteger();

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static String jobDone;
    private static String jobIdempotent2;
    private static String jobIdempotent3;
    private static String jobWaiting;
    private static String jobDead1;
    private static String jobDead2;
    private static String hookSource1;
    private static String hookSource2;
    private static String extraKey;
    private static String extraKeyId;
    private static String webhookSecretA;
    private static String webhookHintA;
    private static List<String> unclaimedOfA = List.of();
    private static List<String> fillerSchedules = List.of();

    /** What B owns (made in this run): list answers may hold these and nothing else. */
    private final Set<String> jobsOfB = new LinkedHashSet<>();
    private final Set<String> schedulesOfB = new LinkedHashSet<>();
    private final Set<String> sourcesOfB = new LinkedHashSet<>();
    private final Set<String> keysOfB = new LinkedHashSet<>(Set.of(ApiKeys.keyId(KEY_B)));
    private final Set<String> walked = new TreeSet<>();
    /** B's own webhook signing secret and its hint, once B made one. */
    private String bWebhookSecret;
    private String bWebhookHint;

    // ------------------------------------------------------------------------------------------ A's things

    @BeforeAll
    static void tenantAMakesOneOfEverything() throws Exception {
        E2eTarget.requireLocalRuntime("keys of every scope are registered and the sweeper is fired in this JVM");
        LocalRuntime runtime = jobway.local("keys of every scope are registered in the runtime");
        runtime.registerKey(KEY_A, TENANT_A, Scopes.ALL);
        runtime.registerKey(KEY_B, TENANT_B, Scopes.ALL);
        forbid(TENANT_A, "A's tenant id");
        forbid(KEY_A, "A's API key");
        forbid(ApiKeys.keyId(KEY_A), "A's key id");
        forbid(MARKER, "A's payload marker");
        forbid(IDEMPOTENT_MARKER, "A's payload marker");
        forbid(SCHEDULE_A, "A's schedule name");
        forbid(RATE_KEY_A, "A's rate key");
        forbid(TAG_A, "A's tag");
        forbid(HOOK_SECRET_A, "A's hook source secret");
        IDEMPOTENCY_KEYS_A.forEach(k -> forbid(k, "A's Idempotency-Key"));

        // jobs: three with an Idempotency-Key, one waiting an hour with a rate key and A's tag, two that fail to the
        // DLQ, the first of them tagged too
        jobDone = submitA(echo(1), IDEMPOTENCY_KEYS_A.get(0));
        jobIdempotent2 = submitA(echo(2), IDEMPOTENCY_KEYS_A.get(1));
        jobIdempotent3 = submitA(echo(3), IDEMPOTENCY_KEYS_A.get(2));
        jobWaiting = submitA("{\"type\":\"echo\",\"payload\":{\"marker\":\"" + MARKER + "\"},\"delaySeconds\":3600,"
                + "\"rateKey\":\"" + RATE_KEY_A + "\",\"tags\":[\"" + TAG_A + "\"]}", null);
        String failing = "{\"type\":\"fail\",\"payload\":{\"times\":-1,\"marker\":\"" + MARKER + "\"},\"maxAttempts\":1}";
        jobDead1 = submitA("{\"type\":\"fail\",\"payload\":{\"times\":-1,\"marker\":\"" + MARKER + "\"},"
                + "\"maxAttempts\":1,\"tags\":[\"" + TAG_A + "\"]}", null);
        jobDead2 = submitA(failing, null);
        for (String id : List.of(jobDone, jobIdempotent2, jobIdempotent3, jobWaiting, jobDead1, jobDead2)) {
            forbid(id, "A's job id");
        }

        // a schedule, and enough more (disabled) that A's list of them pages
        created(send("POST", "/v1/schedules", KEY_A, "{\"name\":\"" + SCHEDULE_A + "\",\"cron\":\"" + SCHEDULE_A_CRON
                + "\",\"timezone\":\"UTC\",\"job\":{\"type\":\"echo\",\"payload\":{\"marker\":\"" + MARKER + "\"}}}"), 201);
        List<String> fillers = new ArrayList<>();
        for (int i = 0; i < FILLERS; i++) {
            fillers.add(String.format("iso-a-filler-%03d-%s", i, RUN));
        }
        fillerSchedules = List.copyOf(fillers);
        fillers.forEach(name -> forbid(name, "A's schedule name"));

        // a webhook secret, two hook sources, limits (one type-wide, one per key, and fillers), an extra key
        JsonNode secret = created(send("POST", "/v1/webhook-secrets", KEY_A, null), 201).json();
        webhookSecretA = secret.get("secret").asText();
        forbid(webhookSecretA, "A's webhook signing secret");
        webhookHintA = send("GET", "/v1/webhook-secrets", KEY_A, null).json().get("items").get(0).get("hint").asText();
        forbid(webhookHintA, "A's webhook secret hint");
        hookSource1 = createdSource(KEY_A, HOOK_SECRET_A);
        hookSource2 = createdSource(KEY_A, HOOK_SECRET_A);
        forbid(hookSource1, "A's hook source id");
        forbid(hookSource2, "A's hook source id");
        created(send("PUT", "/v1/limits/http", KEY_A, "{\"maxRunning\":9}"), 200);
        created(send("PUT", "/v1/limits/echo?rateKey=" + RATE_KEY_A, KEY_A,
                "{\"rate\":{\"limit\":50,\"per\":\"1d\"}}"), 200);
        JsonNode key = created(send("POST", "/v1/keys", KEY_A, "{\"scopes\":[\"jobs:read\"]}"), 201).json();
        extraKey = key.get("key").asText();
        extraKeyId = key.get("keyId").asText();
        forbid(extraKey, "A's extra API key");
        forbid(extraKeyId, "A's extra key id");

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Void>> calls = new ArrayList<>();
            for (int i = 0; i < FILLERS; i++) {
                String name = fillers.get(i);
                String rateKey = "iso-a-filler-rate-" + i + "-" + RUN;
                forbid(rateKey, "A's rate key");
                calls.add(CompletableFuture.runAsync(() -> created(send("POST", "/v1/schedules", KEY_A, "{\"name\":\""
                        + name + "\",\"cron\":\"@daily\",\"enabled\":false,\"job\":{\"type\":\"echo\"}}"), 201), pool));
                calls.add(CompletableFuture.runAsync(() -> created(send("PUT", "/v1/limits/sleep?rateKey=" + rateKey,
                        KEY_A, "{\"maxRunning\":50}"), 200), pool));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
        } finally {
            pool.shutdown();
        }

        // messages of A's whose record never appeared, in the DLQ as SQS's redrive policy moves them
        List<String> unclaimed = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Job job = Job.submit(io.jobway.fixtures.Jobs.newJobId(), TENANT_A,
                    new JobSpec("echo", "{}", 1, 60, 0, null, null), Instant.now());
            jobway.sqs().sendMessage(b -> b.queueUrl(jobway.queueUrl("JobsDeadLetterQueue"))
                    .messageBody(JobMessage.of(job).toBody()));
            unclaimed.add(job.jobId());
            forbid(job.jobId(), "A's unclaimed dead letter's job id");
        }
        unclaimedOfA = List.copyOf(unclaimed);

        awaitA(jobDone, "succeeded");
        awaitA(jobIdempotent2, "succeeded");
        awaitA(jobIdempotent3, "succeeded");
        awaitA(jobDead1, "dead");
        awaitA(jobDead2, "dead");
        awaitA(jobWaiting, "scheduled");
        awaitUnclaimedOfA(runtime);

        for (String list : List.of("/v1/jobs?limit=1", "/v1/dlq?limit=1", "/v1/dlq/unclaimed?limit=1",
                "/v1/hook-sources?limit=1", "/v1/schedules", "/v1/limits")) {
            JsonNode page = send("GET", list, KEY_A, null).json();
            String cursor = page.path("nextCursor").isTextual() ? page.get("nextCursor").asText() : null;
            CURSORS_OF_A.put(list, cursor);
            if (cursor != null) {
                forbid(cursor, "A's cursor of " + list);
            }
        }
    }

    private static String echo(int n) {
        return "{\"type\":\"echo\",\"payload\":{\"marker\":\"" + IDEMPOTENT_MARKER + "\",\"n\":" + n + "}}";
    }

    private static String submitA(String body, String idempotencyKey) {
        Answer answer = send("POST", "/v1/jobs", KEY_A, body,
                idempotencyKey == null ? Map.of() : Map.of("Idempotency-Key", idempotencyKey));
        return created(answer, 202).json().get("jobId").asText();
    }

    private static String createdSource(String key, String secret) {
        return created(send("POST", "/v1/hook-sources", key, "{\"scheme\":\"stripe\",\"secret\":\"" + secret
                + "\",\"jobType\":\"echo\"}"), 201).json().get("sourceId").asText();
    }

    private static Answer created(Answer answer, int status) {
        if (answer.status() != status) {
            throw new AssertionError("setup: expected " + status + ", got " + answer.status() + " " + answer.body());
        }
        return answer;
    }

    private static void awaitA(String id, String status) {
        Instant end = Instant.now().plusSeconds(30);
        JsonNode job = send("GET", "/v1/jobs/" + id, KEY_A, null).json();
        while (!job.path("status").asText().equals(status)) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("setup: job " + id + " did not become " + status + "; last seen " + job);
            }
            LocalJobway.pause(Duration.ofMillis(100));
            job = send("GET", "/v1/jobs/" + id, KEY_A, null).json();
        }
    }

    /** The sweeper notes the DLQ's messages that never had a job; it may take a run or two to reach A's. */
    private static void awaitUnclaimedOfA(LocalRuntime runtime) {
        Instant end = Instant.now().plusSeconds(20);
        while (true) {
            runtime.fireSchedules();
            List<String> listed = send("GET", "/v1/dlq/unclaimed?limit=100", KEY_A, null).json().get("items")
                    .findValuesAsText("jobId");
            if (listed.containsAll(unclaimedOfA)) {
                return;
            }
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("setup: the sweeper did not note A's unclaimed dead letters; A sees " + listed);
            }
            LocalJobway.pause(Duration.ofMillis(300));
        }
    }

    private static void forbid(String value, String what) {
        synchronized (OF_A) {
            OF_A.putIfAbsent(value, what);
        }
    }

    @AfterAll
    static void report() {
        System.out.println("tenant isolation: " + PROBES.get() + " cross-tenant probes, " + LEAKS.get() + " leaks");
    }

    // ------------------------------------------------------------------------------------------ B's walk

    @Test
    void tenant_b_walks_every_route_at_tenant_a_and_gets_nothing_and_changes_nothing() throws Exception {
        Walk walk = new Walk();

        webSocketSubscriptions(walk);
        lists(walk, "before B writes");
        readsAndWritesOfAsThingsById(walk);
        writesInBsOwnNamespaceUnderAsNames(walk);
        hookIntake(walk);
        lists(walk, "after B wrote");
        walk.probe("GET /v1/health", "GET", "/v1/health", null, Map.of(), Set.of(200, 503), null);
        walk.probe("GET /v1/openapi.yaml", "GET", "/v1/openapi.yaml", null, Map.of(), Set.of(200), null);

        tenantAsThingsAreIntact(walk.failures);

        Set<String> templateRoutes = new TreeSet<>();
        CfnTemplate.load(LocalJobway.templatePath()).functions().forEach(f -> f.eventsOfType(EventSource.HTTP_API)
                .forEach(e -> templateRoutes.add(e.property("Method") + " " + e.property("Path"))));
        if (!walked.equals(templateRoutes)) {
            Set<String> missing = new TreeSet<>(templateRoutes);
            missing.removeAll(walked);
            Set<String> extra = new TreeSet<>(walked);
            extra.removeAll(templateRoutes);
            walk.failures.add("the walk does not cover the template's routes: missing " + missing + ", not in the "
                    + "template " + extra);
        }
        walk.finish();
    }

    /** B subscribed to A's job by id, to A's tag and to its own tenant: no event of A's job reaches it. */
    private void webSocketSubscriptions(Walk walk) throws Exception {
        try (Browser b = Browser.connect(jobway, KEY_B); Browser a = Browser.connect(jobway, KEY_A)) {
            b.send("{\"action\":\"subscribe\",\"tenant\":true}");
            a.send("{\"action\":\"subscribe\",\"tenant\":true}");
            b.awaitSubscribed(Duration.ofSeconds(5));
            a.awaitSubscribed(Duration.ofSeconds(5));
            String jobOfA = submitA("{\"type\":\"sleep\",\"payload\":{\"ms\":1000,\"marker\":\"" + MARKER
                    + "\"},\"delaySeconds\":2,\"tags\":[\"" + TAG_A + "\"]}", null);
            forbid(jobOfA, "A's job id");
            b.send("{\"action\":\"subscribe\",\"jobId\":\"" + jobOfA + "\"}");
            JsonNode ack = b.awaitSubscribed(Duration.ofSeconds(5));
            b.send("{\"action\":\"subscribe\",\"tag\":\"" + TAG_A + "\"}"); // B names A's tag itself
            JsonNode tagAck = b.awaitSubscribed(Duration.ofSeconds(5));
            PROBES.addAndGet(3); // the tenant-wide subscription, the one to A's job by id and the one to A's tag

            awaitA(jobOfA, "succeeded");
            LocalJobway.pause(Duration.ofSeconds(3));
            // B's own job, so that B's socket is shown to deliver: its silence on A's job then means something
            String own = submitB("{\"type\":\"echo\",\"payload\":{\"by\":\"b\"}}");
            boolean ownSeen = b.awaitJobEvent(own, "succeeded", Duration.ofSeconds(15));

            List<String> problems = new ArrayList<>();
            for (JsonNode message : b.all()) {
                boolean acknowledgement = message.path("type").asText().equals("subscribed");
                String text = Json.write(message);
                if (message.path("type").asText().equals("job") && !jobsOfB.contains(message.path("jobId").asText())) {
                    problems.add("an event of a job that is not B's: " + excerpt(text, null));
                } else if (!(acknowledgement && (message.equals(ack) || message.equals(tagAck)))) {
                    List<String> leaked = leaksIn(text, "");
                    if (!leaked.isEmpty()) {
                        problems.add("a message holding " + described(leaked) + ": " + excerpt(text, leaked.get(0)));
                    }
                }
            }
            if (!ownSeen) {
                problems.add("control: B's socket got no event of B's own job " + own + "; its silence on A's job"
                        + " proves nothing");
            }
            if (a.all().stream().noneMatch(m -> m.path("jobId").asText().equals(jobOfA)
                    && m.path("type").asText().equals("job"))) {
                problems.add("control: A's own socket got no event of A's job, so none was sent to anyone");
            }
            if (!problems.isEmpty()) {
                walk.failures.add("WebSocket subscribe {jobId: A's job}, {tag: A's tag} and {tenant: true} with B's key: "
                        + problems);
                LEAKS.incrementAndGet();
            }
        }
    }

    /** Every list route, as B: 200, and only B's own things in it. */
    private void lists(Walk walk, String when) {
        walk.list("GET /v1/jobs", "/v1/jobs", "jobId", jobsOfB, when);
        walk.list("GET /v1/jobs", "/v1/jobs?limit=100", "jobId", jobsOfB, when);
        walk.list("GET /v1/jobs", "/v1/jobs?status=dead", "jobId", jobsOfB, when);
        walk.list("GET /v1/jobs", "/v1/jobs?status=scheduled", "jobId", jobsOfB, when);
        walk.list("GET /v1/jobs", "/v1/jobs?type=fail", "jobId", jobsOfB, when);
        walk.list("GET /v1/jobs", "/v1/jobs?type=echo&limit=100", "jobId", jobsOfB, when);
        walk.list("GET /v1/jobs", "/v1/jobs?tag=" + TAG_A, "jobId", jobsOfB, when);
        walk.list("GET /v1/jobs", "/v1/jobs?tag=" + TAG_A + "&status=dead&limit=100", "jobId", jobsOfB, when);
        walk.list("GET /v1/schedules", "/v1/schedules", "name", schedulesOfB, when);
        walk.list("GET /v1/hook-sources", "/v1/hook-sources", "sourceId", sourcesOfB, when);
        walk.list("GET /v1/hook-sources", "/v1/hook-sources?limit=1", "sourceId", sourcesOfB, when);
        walk.list("GET /v1/keys", "/v1/keys", "keyId", keysOfB, when);
        walk.list("GET /v1/dlq", "/v1/dlq", "jobId", Set.of(), when);
        walk.list("GET /v1/dlq", "/v1/dlq?type=fail&limit=100", "jobId", Set.of(), when);
        walk.list("GET /v1/dlq/unclaimed", "/v1/dlq/unclaimed", "jobId", Set.of(), when);
        // the operator's view, which any admin may read: messages naming no tenant; none of A's may be among them
        walk.probe("GET /v1/dlq/unclaimed", "GET", "/v1/dlq/unclaimed?unattributed=true&limit=100", null, Map.of(),
                Set.of(200), null);
        // deployment-wide counts by design (metrics carry no tenant), admin only: they may count A's jobs, and
        // must name nothing of A's (no id, key, secret or name)
        walk.probe("GET /v1/stats", "GET", "/v1/stats", null, Map.of(), Set.of(200), null);
        walk.list("GET /v1/limits", "/v1/limits", "type", Set.of(), when);
        // B's webhook secrets: none before B makes one, then exactly B's
        walk.probe("GET /v1/webhook-secrets", "GET", "/v1/webhook-secrets", null, Map.of(), Set.of(200),
                (answer, problems) -> {
                    List<String> hints = answer.json().get("items").findValuesAsText("hint");
                    if (hints.size() != (bWebhookHint == null ? 0 : 1)
                            || bWebhookHint != null && !hints.contains(bWebhookHint)) {
                        problems.add(when + ": B's secrets should be " + (bWebhookHint == null ? "none"
                                : "only " + bWebhookHint) + ", were " + hints);
                    }
                });
    }

    /** A's things named by id, name or type on every route that takes one: 404 or 403, as if they did not exist. */
    private void readsAndWritesOfAsThingsById(Walk walk) {
        String noJob = io.jobway.fixtures.Jobs.newJobId();
        for (String id : List.of(jobDone, jobIdempotent2, jobIdempotent3, jobWaiting, jobDead1, jobDead2)) {
            walk.denied("GET /v1/jobs/{id}", "GET", "/v1/jobs/" + id, null, id, noJob);
        }
        // a browser token B's backend mints naming A's job (B may name any id) reads nothing of it
        String tokenOfB = walk.probe("POST /v1/tokens", "POST", "/v1/tokens", "{\"jobIds\":[\"" + jobDone + "\"]}",
                Map.of(), Set.of(201), null).json().path("token").asText();
        walk.probe("GET /v1/jobs/{id}", "GET", "/v1/jobs/" + jobDone, null, Map.of(), DENIED, null, tokenOfB);
        // and one B's backend mints for A's tag reads none of A's jobs carrying it, by id or listed by the tag
        String tagTokenOfB = walk.probe("POST /v1/tokens", "POST", "/v1/tokens", "{\"tag\":\"" + TAG_A + "\"}",
                Map.of(), Set.of(201), null).json().path("token").asText();
        for (String id : List.of(jobWaiting, jobDead1)) {
            walk.probe("GET /v1/jobs/{id}", "GET", "/v1/jobs/" + id, null, Map.of(), DENIED, null, tagTokenOfB);
        }
        walk.probe("GET /v1/jobs", "GET", "/v1/jobs?tag=" + TAG_A, null, Map.of(), Set.of(200),
                (answer, problems) -> {
                    if (!answer.json().get("items").isEmpty()) {
                        problems.add("B's token for A's tag lists "
                                + answer.json().get("items").findValuesAsText("jobId"));
                    }
                }, tagTokenOfB);
        for (String id : List.of(jobDone, jobWaiting, jobDead1)) {
            walk.denied("GET /v1/jobs/{id}/deliveries", "GET", "/v1/jobs/" + id + "/deliveries", null, id, noJob);
            walk.denied("POST /v1/jobs/{id}/cancel", "POST", "/v1/jobs/" + id + "/cancel", "{}", id, noJob);
            walk.denied("POST /v1/jobs/{id}/retry", "POST", "/v1/jobs/" + id + "/retry", "{}", id, noJob);
        }

        String noSchedule = "iso-none-" + RUN;
        String replacement = "{\"cron\":\"*/5 * * * *\",\"timezone\":\"UTC\",\"job\":{\"type\":\"echo\","
                + "\"payload\":{\"by\":\"b\"}}}";
        for (String name : List.of(SCHEDULE_A, fillerSchedules.get(0))) {
            walk.denied("GET /v1/schedules/{name}", "GET", "/v1/schedules/" + name, null, name, noSchedule);
            walk.denied("PUT /v1/schedules/{name}", "PUT", "/v1/schedules/" + name, replacement, name, noSchedule);
            walk.denied("DELETE /v1/schedules/{name}", "DELETE", "/v1/schedules/" + name, null, name, noSchedule);
        }

        String noSource = "hs_" + alphanumeric(24);
        for (String source : List.of(hookSource1, hookSource2)) {
            walk.denied("POST /v1/hook-sources/{id}/rotate", "POST", "/v1/hook-sources/" + source + "/rotate",
                    "{\"secret\":\"whsec_b_takes_over_" + RUN + "\"}", source, noSource);
            walk.denied("DELETE /v1/hook-sources/{id}", "DELETE", "/v1/hook-sources/" + source, null, source, noSource);
        }

        String noKey = "none" + RUN;
        for (String keyId : List.of(extraKeyId, ApiKeys.keyId(KEY_A))) {
            walk.denied("DELETE /v1/keys/{keyId}", "DELETE", "/v1/keys/" + keyId, null, keyId, noKey);
        }

        // B has no limits: each of A's is as missing to it as one nobody set
        walk.denied("DELETE /v1/limits/{type}", "DELETE", "/v1/limits/http", null, "http", "fail");
        String noRate = "iso-none-rate-" + RUN;
        walk.denied("DELETE /v1/limits/{type}", "DELETE", "/v1/limits/echo?rateKey=" + RATE_KEY_A, null, RATE_KEY_A,
                noRate);
        String fillerRate = "iso-a-filler-rate-0-" + RUN;
        walk.denied("DELETE /v1/limits/{type}", "DELETE", "/v1/limits/sleep?rateKey=" + fillerRate, null, fillerRate,
                noRate);

        walk.denied("POST /v1/dlq/redrive", "POST", "/v1/dlq/redrive", "{\"jobIds\":[\"" + jobDead1 + "\"]}",
                jobDead1, noJob);
        walk.denied("POST /v1/dlq/redrive", "POST", "/v1/dlq/redrive", "{\"jobIds\":[\"" + jobDead2 + "\"]}",
                jobDead2, noJob);
        walk.denied("POST /v1/dlq/redrive", "POST", "/v1/dlq/redrive", "{\"jobIds\":[\"" + unclaimedOfA.get(0)
                + "\"]}", unclaimedOfA.get(0), noJob);
    }

    /**
     * B's own writes, under A's names and keys: each is B's (a new job, B's own schedule of that name, B's limit),
     * never an answer about A's, and A's thing of that name is untouched.
     */
    private void writesInBsOwnNamespaceUnderAsNames(Walk walk) {
        // A's Idempotency-Keys: a new job of B's each time, not A's job replayed or named in a 422
        String sameBody = echo(1);
        ALSO_B_S.addAll(IDEMPOTENCY_KEYS_A);
        ALSO_B_S.add(IDEMPOTENT_MARKER);
        Answer first = walk.probe("POST /v1/jobs", "POST", "/v1/jobs", sameBody,
                Map.of("Idempotency-Key", IDEMPOTENCY_KEYS_A.get(0)), Set.of(202), (answer, problems) -> {
                    if (answer.header("idempotent-replayed") != null) {
                        problems.add("answered as a replay");
                    }
                });
        String keyedOfB = ownJob(first);
        walk.probe("POST /v1/jobs", "POST", "/v1/jobs", sameBody, Map.of("Idempotency-Key", IDEMPOTENCY_KEYS_A.get(0)),
                Set.of(200), (answer, problems) -> {
                    if (!keyedOfB.equals(answer.json().path("jobId").asText())) {
                        problems.add("B's repeat should replay B's job " + keyedOfB);
                    }
                });
        ownJob(walk.probe("POST /v1/jobs", "POST", "/v1/jobs", "{\"type\":\"echo\",\"payload\":{\"by\":\"b\"}}",
                Map.of("Idempotency-Key", IDEMPOTENCY_KEYS_A.get(1)), Set.of(202), null));
        Answer batch = walk.probe("POST /v1/jobs/batch", "POST", "/v1/jobs/batch", "{\"jobs\":[{\"type\":\"echo\","
                + "\"payload\":{\"marker\":\"" + IDEMPOTENT_MARKER + "\",\"n\":3},\"idempotencyKey\":\"" + IDEMPOTENCY_KEYS_A.get(2)
                + "\"},{\"type\":\"echo\",\"payload\":{\"by\":\"b\"}}]}", Map.of(), Set.of(200), (answer, problems) -> {
                    for (JsonNode item : answer.json().path("items")) {
                        if (item.path("status").asInt() != 202) {
                            problems.add("item " + item.path("index") + " was " + item.path("status") + ", not 202");
                        }
                    }
                });
        batch.json().path("items").forEach(item -> jobsOfB.add(item.path("job").path("jobId").asText()));

        // a schedule of A's name: B's own (201), not a 409 that tells B the name is taken
        String cronOfB = "*/30 * * * *";
        schedulesOfB.add(SCHEDULE_A);
        walk.probe("POST /v1/schedules", "POST", "/v1/schedules", "{\"name\":\"" + SCHEDULE_A + "\",\"cron\":\""
                + cronOfB + "\",\"job\":{\"type\":\"echo\"}}", Map.of(), Set.of(201), null);
        walk.probe("GET /v1/schedules/{name}", "GET", "/v1/schedules/" + SCHEDULE_A, null, Map.of(), Set.of(200),
                (answer, problems) -> {
                    if (!cronOfB.equals(answer.json().path("cron").asText())) {
                        problems.add("B's schedule of that name should have B's cron " + cronOfB);
                    }
                });
        walk.probe("PUT /v1/schedules/{name}", "PUT", "/v1/schedules/" + SCHEDULE_A, "{\"cron\":\"" + cronOfB
                + "\",\"enabled\":false,\"job\":{\"type\":\"echo\"}}", Map.of(), Set.of(200), null);
        walk.probe("DELETE /v1/schedules/{name}", "DELETE", "/v1/schedules/" + SCHEDULE_A, null, Map.of(), Set.of(204),
                null);
        schedulesOfB.remove(SCHEDULE_A);

        // limits of A's type and rate key: B's own, then removed by B, A's left as they were
        ALSO_B_S.add(RATE_KEY_A);
        walk.probe("PUT /v1/limits/{type}", "PUT", "/v1/limits/http", "{\"maxRunning\":1}", Map.of(), Set.of(200), null);
        walk.probe("PUT /v1/limits/{type}", "PUT", "/v1/limits/echo?rateKey=" + RATE_KEY_A, "{\"maxRunning\":1}",
                Map.of(), Set.of(200), null);
        walk.probe("GET /v1/limits", "GET", "/v1/limits", null, Map.of(), Set.of(200), (answer, problems) -> {
            if (answer.json().get("items").size() != 2) {
                problems.add("B's limits should be the two B set, were " + answer.json().get("items"));
            }
        });
        walk.probe("DELETE /v1/limits/{type}", "DELETE", "/v1/limits/http", null, Map.of(), Set.of(204), null);
        walk.probe("DELETE /v1/limits/{type}", "DELETE", "/v1/limits/echo?rateKey=" + RATE_KEY_A, null, Map.of(),
                Set.of(204), null);

        // B's own secret, source and key: B's, and not A's
        Answer secret = walk.probe("POST /v1/webhook-secrets", "POST", "/v1/webhook-secrets", null, Map.of(),
                Set.of(201), null);
        String secretOfB = secret.json().path("secret").asText();
        bWebhookSecret = secretOfB;
        bWebhookHint = secretOfB.substring(0, Math.min(secretOfB.length(), "whsec_".length() + 4)) + "...";
        Answer source = walk.probe("POST /v1/hook-sources", "POST", "/v1/hook-sources", "{\"scheme\":\"stripe\","
                + "\"secret\":\"" + HOOK_SECRET_B + "\",\"jobType\":\"echo\"}", Map.of(), Set.of(201), null);
        sourcesOfB.add(source.json().path("sourceId").asText());
        Answer key = walk.probe("POST /v1/keys", "POST", "/v1/keys", "{\"scopes\":[\"jobs:read\"]}", Map.of(),
                Set.of(201), null);
        keysOfB.add(key.json().path("keyId").asText());

        // the DLQ's bulk verbs: nothing of A's redriven or purged
        for (String body : List.of("{\"all\":true}", "{\"filter\":{\"type\":\"fail\"}}",
                "{\"filter\":{\"errorType\":\"" + errorTypeOf(jobDead1) + "\"}}")) {
            walk.probe("POST /v1/dlq/redrive", "POST", "/v1/dlq/redrive", body, Map.of(), Set.of(200),
                    (answer, problems) -> {
                        if (!answer.json().path("redriven").isEmpty() || !answer.json().path("skipped").isEmpty()) {
                            problems.add("redrove or skipped jobs that are not B's");
                        }
                    });
        }
        walk.probe("POST /v1/dlq/purge", "POST", "/v1/dlq/purge", "{\"olderThanDays\":0}", Map.of(), Set.of(200),
                (answer, problems) -> {
                    if (answer.json().path("purged").asInt(-1) != 0) {
                        problems.add("purged jobs that are not B's");
                    }
                });
    }

    private static String errorTypeOf(String deadJob) {
        return send("GET", "/v1/jobs/" + deadJob, KEY_A, null).json().path("error").path("type").asText("none");
    }

    private String ownJob(Answer answer) {
        String id = answer.json().path("jobId").asText();
        jobsOfB.add(id);
        return id;
    }

    /** B posting to A's hook source's URL, unsigned or signed with B's secrets: refused, and A gets no job. */
    private void hookIntake(Walk walk) {
        Set<String> before = Set.copyOf(jobIdsOfA());
        long now = Instant.now().getEpochSecond();
        for (String source : List.of(hookSource1, hookSource2)) {
            String body = "{\"id\":\"evt_b_" + alphanumeric(10) + "\",\"type\":\"charge.succeeded\"}";
            walk.probe("POST /v1/hooks/{source}", "POST", "/v1/hooks/" + source, body, Map.of(), UNAUTHENTICATED, null,
                    null);
            walk.probe("POST /v1/hooks/{source}", "POST", "/v1/hooks/" + source, body,
                    Map.of("Stripe-Signature", StripeSignature.of(now, body, HOOK_SECRET_B)), UNAUTHENTICATED, null, null);
            walk.probe("POST /v1/hooks/{source}", "POST", "/v1/hooks/" + source, body,
                    Map.of("Stripe-Signature", StripeSignature.of(now, body, bWebhookSecret)), UNAUTHENTICATED,
                    null, null);
        }
        Set<String> after = new LinkedHashSet<>(jobIdsOfA());
        after.removeAll(before);
        if (!after.isEmpty()) {
            walk.failures.add("POST /v1/hooks/{source} by B made jobs in A: " + after);
            LEAKS.incrementAndGet();
        }
    }

    private static List<String> jobIdsOfA() {
        return send("GET", "/v1/jobs?limit=100", KEY_A, null).json().get("items").findValuesAsText("jobId");
    }

    private String submitB(String body) {
        Answer answer = send("POST", "/v1/jobs", KEY_B, body);
        if (answer.status() != 202) {
            throw new AssertionError("B's own submit gave " + answer.status() + ": " + answer.body());
        }
        return ownJob(answer);
    }

    /** After the walk, as A: every thing of A's is there and as it was. */
    private void tenantAsThingsAreIntact(List<String> failures) {
        List<String> changed = new ArrayList<>();
        for (String id : List.of(jobDone, jobIdempotent2, jobIdempotent3)) {
            JsonNode job = send("GET", "/v1/jobs/" + id, KEY_A, null).json();
            if (!job.path("status").asText().equals("succeeded") || !IDEMPOTENT_MARKER.equals(job.path("payload")
                    .path("marker").asText())) {
                changed.add("job " + id + ": " + job);
            }
        }
        for (String id : List.of(jobDead1, jobDead2)) {
            JsonNode job = send("GET", "/v1/jobs/" + id, KEY_A, null).json();
            if (!job.path("status").asText().equals("dead") || job.path("attempt").asInt() != 1) {
                changed.add("dead job " + id + ": " + job);
            }
        }
        JsonNode waiting = send("GET", "/v1/jobs/" + jobWaiting, KEY_A, null).json();
        if (!waiting.path("status").asText().equals("scheduled") || waiting.path("cancelRequested").asBoolean()) {
            changed.add("waiting job " + jobWaiting + ": " + waiting);
        }
        List<String> listed = jobIdsOfA();
        List<String> ofB = listed.stream().filter(jobsOfB::contains).toList();
        if (!ofB.isEmpty()) {
            changed.add("A's job list holds B's jobs " + ofB);
        }

        Answer schedule = send("GET", "/v1/schedules/" + SCHEDULE_A, KEY_A, null);
        if (schedule.status() != 200 || !SCHEDULE_A_CRON.equals(schedule.json().path("cron").asText())
                || !schedule.json().path("enabled").asBoolean()
                || !MARKER.equals(schedule.json().path("job").path("payload").path("marker").asText())) {
            changed.add("schedule " + SCHEDULE_A + ": " + schedule.status() + " " + schedule.body());
        }
        Answer filler = send("GET", "/v1/schedules/" + fillerSchedules.get(0), KEY_A, null);
        if (filler.status() != 200) {
            changed.add("schedule " + fillerSchedules.get(0) + ": " + filler.status());
        }

        JsonNode sources = send("GET", "/v1/hook-sources?limit=100", KEY_A, null).json().get("items");
        for (String id : List.of(hookSource1, hookSource2)) {
            JsonNode source = null;
            for (JsonNode s : sources) {
                source = s.path("sourceId").asText().equals(id) ? s : source;
            }
            if (source == null || !source.path("rotatedAt").isNull() || !source.path("previousSecretValidUntil").isNull()) {
                changed.add("hook source " + id + ": " + source);
            }
        }
        String event = "{\"id\":\"evt_a_" + alphanumeric(10) + "\",\"type\":\"charge.succeeded\"}";
        Answer intake = send("POST", "/v1/hooks/" + hookSource1, null, event,
                Map.of("Stripe-Signature", StripeSignature.of(Instant.now().getEpochSecond(), event, HOOK_SECRET_A)));
        if (intake.status() != 202
                || send("GET", "/v1/jobs/" + intake.json().path("jobId").asText(), KEY_A, null).status() != 200) {
            changed.add("hook source " + hookSource1 + " no longer takes A's sender's event: " + intake.status() + " "
                    + intake.body());
        }

        JsonNode keys = send("GET", "/v1/keys", KEY_A, null).json().get("items");
        for (String id : List.of(extraKeyId, ApiKeys.keyId(KEY_A))) {
            JsonNode key = null;
            for (JsonNode k : keys) {
                key = k.path("keyId").asText().equals(id) ? k : key;
            }
            if (key == null || !key.path("revokedAt").isNull()) {
                changed.add("key " + id + ": " + key);
            }
        }
        if (send("GET", "/v1/jobs?limit=1", extraKey, null).status() != 200) {
            changed.add("A's extra key no longer reads A's jobs");
        }

        JsonNode limits = send("GET", "/v1/limits", KEY_A, null).json().get("items");
        boolean typeWide = false;
        boolean perKey = false;
        for (JsonNode limit : limits) {
            typeWide |= limit.path("type").asText().equals("http") && limit.path("rateKey").isNull()
                    && limit.path("maxRunning").asInt() == 9 && limit.path("rate").isNull();
            perKey |= limit.path("type").asText().equals("echo") && limit.path("rateKey").asText().equals(RATE_KEY_A)
                    && limit.path("rate").path("limit").asInt() == 50 && limit.path("maxRunning").isNull();
        }
        if (!typeWide || !perKey) {
            changed.add("limits (http maxRunning 9: " + typeWide + ", echo " + RATE_KEY_A + " 50/1d: " + perKey + ")");
        }

        JsonNode secrets = send("GET", "/v1/webhook-secrets", KEY_A, null).json().get("items");
        if (secrets.size() != 1 || !webhookHintA.equals(secrets.get(0).path("hint").asText())
                || !secrets.get(0).path("expiresAt").isNull()) {
            changed.add("webhook secrets: " + secrets);
        }

        List<String> dead = send("GET", "/v1/dlq?limit=100", KEY_A, null).json().get("items").findValuesAsText("jobId");
        if (!dead.containsAll(List.of(jobDead1, jobDead2))) {
            changed.add("A's DLQ lists " + dead);
        }
        List<String> unclaimed = send("GET", "/v1/dlq/unclaimed?limit=100", KEY_A, null).json().get("items")
                .findValuesAsText("jobId");
        if (!unclaimed.containsAll(unclaimedOfA)) {
            changed.add("A's unclaimed dead letters " + unclaimed);
        }

        for (String change : changed) {
            failures.add("A's thing changed by B's walk: " + change);
            LEAKS.incrementAndGet();
        }
        // tidy: A's waiting job would otherwise come due in an hour
        send("POST", "/v1/jobs/" + jobWaiting + "/cancel", KEY_A, "{}");
    }

    // ------------------------------------------------------------------------------------------ cursors

    /**
     * A cursor is bound to the tenant it was made for: A's nextCursor, which A's own next call accepts, gets 400 from
     * B's same list route; so does one B forges from A's job id the way today's cursors are made.
     */
    @Test
    void tenant_as_cursors_given_to_b_are_refused_with_400() {
        Walk walk = new Walk();
        for (var entry : CURSORS_OF_A.entrySet()) {
            String list = entry.getKey();
            String route = "GET " + (list.contains("?") ? list.substring(0, list.indexOf('?')) : list);
            String withCursor = list + (list.contains("?") ? "&" : "?") + "cursor=" + entry.getValue();
            if (entry.getValue() == null) {
                walk.failures.add("setup: A's " + list + " gave no nextCursor, so its cursor was not tried");
                continue;
            }
            Answer own = send("GET", withCursor, KEY_A, null);
            if (own.status() != 200) {
                walk.failures.add("control: A's own cursor on " + list + " got " + own.status() + " " + own.body());
            }
            walk.probe(route, "GET", withCursor, null, Map.of(), Set.of(400), null);
        }
        String forged = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(jobDone.getBytes(StandardCharsets.UTF_8));
        walk.probe("GET /v1/jobs", "GET", "/v1/jobs?limit=1&cursor=" + forged, null, Map.of(), Set.of(400),
                (answer, problems) -> problems.add(0, "a cursor B forged from A's job id " + jobDone + " as base64"));
        walk.finish();
    }

    // ------------------------------------------------------------------------------------------ the probe

    /** Sends B's probes, counts them, and collects what is wrong with each answer. */
    private final class Walk {
        final List<String> failures = new ArrayList<>();

        interface Check {
            void check(Answer answer, List<String> problems);
        }

        /**
         * One probe with B's key: the status must be one of {@code allowed}, and the answer (headers and body) must
         * hold nothing of A's that the request did not name itself.
         */
        Answer probe(String route, String method, String path, String body, Map<String, String> headers,
                     Set<Integer> allowed, Check check) {
            return probe(route, method, path, body, headers, allowed, check, KEY_B);
        }

        Answer probe(String route, String method, String path, String body, Map<String, String> headers,
                     Set<Integer> allowed, Check check, String key) {
            if (!route.startsWith(method + " ")) {
                throw new IllegalArgumentException(route + " is not a " + method + " route");
            }
            walked.add(route);
            PROBES.incrementAndGet();
            Answer answer = send(method, path, key, body, headers);
            List<String> problems = new ArrayList<>();
            if (!allowed.contains(answer.status())) {
                problems.add("status " + answer.status() + ", expected one of " + new TreeSet<>(allowed));
            }
            String request = path + " " + (body == null ? "" : body) + " " + headers.values();
            List<String> leaked = leaksIn(answer.text(), request);
            if (!leaked.isEmpty()) {
                problems.add("the answer holds " + described(leaked));
            }
            if (check != null && answer.status() / 100 == 2) {
                try {
                    check.check(answer, problems);
                } catch (RuntimeException e) {
                    problems.add("unreadable answer: " + e);
                }
            }
            record(route, method, path, answer, problems, leaked);
            return answer;
        }

        /**
         * A probe at A's thing by its id: 403 or 404, and the very answer a thing that does not exist gets (so the
         * answer does not even tell B that it exists).
         */
        void denied(String route, String method, String path, String body, String idOfA, String idOfNone) {
            Answer baseline = send(method, path.replace(idOfA, idOfNone), KEY_B,
                    body == null ? null : body.replace(idOfA, idOfNone), Map.of());
            probe(route, method, path, body, Map.of(), DENIED, null);
            Answer answer = lastAnswer;
            String normalized = answer.body() == null ? "" : answer.body().replace(idOfA, "<id>");
            String expected = baseline.body() == null ? "" : baseline.body().replace(idOfNone, "<id>");
            if (answer.status() != baseline.status() || !normalized.equals(expected)) {
                List<String> problems = new ArrayList<>(List.of("answers A's " + idOfA + " otherwise than a missing "
                        + idOfNone + " (" + baseline.status() + " " + excerpt(baseline.body(), null) + ")"));
                if (!lastProblems.isEmpty()) {
                    // one probe, one entry: take back the entry the probe made and make one with both
                    failures.remove(failures.size() - 1);
                    LEAKS.decrementAndGet();
                    problems.addAll(0, lastProblems);
                }
                record(route, method, path, answer, problems, List.of());
            }
        }

        /** A list route: 200, and every item's {@code field} one of B's own. */
        void list(String route, String path, String field, Set<String> ownOfB, String when) {
            probe(route, "GET", path, null, Map.of(), Set.of(200), (answer, problems) -> {
                List<String> foreign = new ArrayList<>();
                for (JsonNode item : answer.json().get("items")) {
                    String value = item.path(field).asText();
                    if (!ownOfB.contains(value)) {
                        foreign.add(value);
                    }
                }
                if (!foreign.isEmpty()) {
                    problems.add(when + ": lists " + field + " " + foreign + " that B does not own");
                }
            });
        }

        private Answer lastAnswer;
        private List<String> lastProblems = List.of();

        private void record(String route, String method, String path, Answer answer, List<String> problems,
                            List<String> leaked) {
            lastAnswer = answer;
            lastProblems = problems;
            if (problems.isEmpty()) {
                return;
            }
            String firstLeak = leaked.isEmpty() ? null : leaked.get(0);
            failures.add(route + " (" + method + " " + cut(path, 160) + ") -> " + answer.status() + " "
                    + excerpt(answer.body(), firstLeak) + " :: " + String.join("; ", problems));
            LEAKS.incrementAndGet();
        }

        void finish() {
            assertThat(failures).as("cross-tenant answers that leak, or refuse wrongly (%d):%n%s", failures.size(),
                    String.join(System.lineSeparator(), failures)).isEmpty();
        }
    }

    /** A's things (their values) found in an answer's text that the request did not itself name. */
    private static List<String> leaksIn(String text, String request) {
        List<String> found = new ArrayList<>();
        if (text == null) {
            return found;
        }
        synchronized (OF_A) {
            OF_A.keySet().forEach(value -> {
                if (!request.contains(value) && !ALSO_B_S.contains(value) && text.contains(value)) {
                    found.add(value);
                }
            });
        }
        return found;
    }

    /** What the leaked values are: "A's job id 0199...". */
    private static List<String> described(List<String> values) {
        synchronized (OF_A) {
            return values.stream().map(v -> OF_A.get(v) + " " + v).toList();
        }
    }

    /** The body cut short, around {@code around} when it is given and found. */
    private static String excerpt(String body, String around) {
        if (body == null || body.isEmpty()) {
            return "(no body)";
        }
        int at = around == null ? -1 : body.indexOf(around);
        if (at < 0 || body.length() <= 300) {
            return cut(body, 300);
        }
        int from = Math.max(0, at - 120);
        return (from > 0 ? "..." : "") + cut(body.substring(from), 300);
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "...";
    }

    // ------------------------------------------------------------------------------------------ HTTP, WebSocket

    private record Answer(int status, Map<String, List<String>> headers, String body) {
        JsonNode json() {
            return Json.parse(body);
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        /** Headers and body: what the scan for A's things reads. */
        String text() {
            return headers + "\n" + body;
        }
    }

    private static Answer send(String method, String path, String key, String body) {
        return send(method, path, key, body, Map.of());
    }

    private static Answer send(String method, String path, String key, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(jobway.baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("content-type", "application/json");
        }
        if (key != null) {
            request.header("authorization", "Bearer " + key);
        }
        headers.forEach(request::setHeader);
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String alphanumeric(int length) {
        String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return text.toString();
    }
}
