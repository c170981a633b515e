package io.jobway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.json.Json;
import io.jobway.local.emulator.EmulatorClients;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The chaos soak: {@code jobway up} on a data directory with faults injected on purpose (JOBWAY_FAULTS: AWS
 * calls whose connection fails, throttled, or whose answer is lost after the write; a worker that stalls past its
 * lease after a write; stream batches reordered and repeated), killed with SIGKILL at random moments and
 * restarted, under a mixed load: quick, slow, failing-then-succeeding and hanging {@code http} jobs against
 * {@link SideEffectSink}, duplicate submits with one Idempotency-Key, delayed and concurrency-limited jobs,
 * cancellations, callbacks to a receiver that fails twice first and to one that never answers in time, a cron
 * schedule firing every minute, poison messages and duplicate deliveries sent straight to the jobs queue. Then an
 * exact ledger of every 202 ({@link ChaosLedger}).
 *
 * <p>Usage: {@code ./jobway bench chaos [SECONDS] [JOBS_A_SECOND] [KILLS]} (defaults 600, 10, 10). Exit code 1 on
 * any loss, duplicate, 5xx other than an injected 503, or a broken promise of the ledger.
 */
public final class ChaosSoak {
    static final String KEY = "jw_chaos_" + "secretsecretsecretsecret";
    static final String FAULTS = "fail=0.01,throttle=0.01,failAfterWrite=0.01,stall=0.002,stallSeconds=45,"
            + "streamReorder=0.05,streamRepeat=0.05,seed=16";
    /**
     * Webhook attempts before the webhook DLQ (WebhookMaxAttempts): a receiver that never answers gets there in
     * about 90 s. An attempt is a delivery, and a delivery cut short by a SIGKILL counts: with 4, a receiver that
     * fails twice first lost its webhook to two kills.
     */
    static final int WEBHOOK_ATTEMPTS = 6;
    static final String SCHEDULE = "chaos-every-minute";
    /**
     * How long the jobs may take to end after the load: longer than the worker's longest backoff for a
     * message whose handling failed (JobRunner.FAILED_MESSAGE_BACKOFF_CAP, 5 min), which the injected faults reach.
     */
    private static final Duration SETTLE = Duration.ofMinutes(6);

    /**
     * What one kind of job is. The ledger holds no kind to one end: faults can move it (a SIGKILL in a failing
     * job's last attempt ends it dead), so it checks the promises that hold whatever the end.
     */
    enum Kind {
        QUICK, SLOW, FAILS_TWICE, HANGS, KEYED_TWICE, DELAYED_LIMITED, CANCELLED, CALLBACK, CALLBACK_NEVER_ANSWERED
    }

    /**
     * The kinds in the order the load sends them: a receiver that never answers holds a webhook invocation 10 s
     * an attempt, so one in 25 jobs has one.
     */
    private static final List<Kind> ROUND = java.util.stream.Stream.concat(
            java.util.stream.Stream.of(Kind.values()).filter(k -> k != Kind.CALLBACK_NEVER_ANSWERED)
                    .flatMap(k -> java.util.stream.Stream.of(k, k, k)),
            java.util.stream.Stream.of(Kind.CALLBACK_NEVER_ANSWERED)).toList();

    record Accepted(String jobId, Kind kind) {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 600;
        double rate = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        int kills = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        ChaosLedger.Report report = run(Path.of("bench/target/chaos"), Duration.ofSeconds(seconds), rate, kills);
        System.out.println(report.text());
        System.exit(report.clean() ? 0 : 1);
    }

    static ChaosLedger.Report run(Path dir, Duration length, double rate, int kills) throws Exception {
        deleteRecursively(dir);
        Files.createDirectories(dir);
        try (SideEffectSink sink = new SideEffectSink()) {
            JobwayProcess jobway = new JobwayProcess(dir.toAbsolutePath().resolve("data"), KEY,
                    Map.of("JOBWAY_FAULTS", FAULTS),
                    List.of("--parameter-overrides", "WebhookRetryBaseSeconds=1 WebhookMaxAttempts=" + WEBHOOK_ATTEMPTS));
            jobway.start();
            Api api = new Api(jobway.baseUrl());
            api.must("POST", "/v1/webhook-secrets", "");
            api.must("PUT", "/v1/limits/http?rateKey=acct-limited", "{\"maxRunning\":2}");
            Instant scheduled = Instant.now();
            api.must("POST", "/v1/schedules", "{\"name\":\"" + SCHEDULE + "\",\"cron\":\"* * * * *\",\"job\":"
                    + Load.http(sink.url("/effect?mode=quick&cron=1"), 10, "") + "}");
            String adminKey = jobway.createAdminKey("chaos-ops");
            SqsClient sqs = EmulatorClients.sqs(jobway.sqsEndpoint());
            Load load = new Load(api, sink, rate, sqs);
            Thread submitter = Thread.ofPlatform().name("chaos-load").start(() -> load.run(length));
            Random random = new Random(16);
            long gap = length.toMillis() / (kills + 1);
            for (int kill = 0; kill < kills; kill++) {
                Thread.sleep(gap / 2 + random.nextLong(gap));
                jobway.kill();
                System.out.printf("chaos: SIGKILL %d at %s%n", kill + 1, Instant.now());
                jobway.start();
                load.pastTheApi(); // a poison message and a duplicate, after each restart
            }
            submitter.join();
            Instant loadEnded = Instant.now();
            ChaosLedger.Report report = new ChaosLedger(api, sink, sqs, adminKey).settle(load.accepted(),
                    loadEnded.plus(SETTLE), load.statuses(), kills, load.poison(), scheduled, loadEnded);
            jobway.terminate();
            sqs.close();
            return report;
        }
    }

    /** The load: one request at a time per kind, at {@code rate} a second in all, round the kinds. */
    static final class Load {
        private final Api api;
        private final SideEffectSink sink;
        private final double rate;
        private final List<Accepted> accepted = java.util.Collections.synchronizedList(new ArrayList<>());
        private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        private final AtomicInteger sequence = new AtomicInteger();
        private final SqsClient sqs;
        private final List<String> poison = java.util.Collections.synchronizedList(new ArrayList<>());

        Load(Api api, SideEffectSink sink, double rate, SqsClient sqs) {
            this.api = api;
            this.sink = sink;
            this.rate = rate;
            this.sqs = sqs;
        }

        /** The bodies of the poison messages sent. */
        List<String> poison() {
            return List.copyOf(poison);
        }

        List<Accepted> accepted() {
            return List.copyOf(accepted);
        }

        Map<Integer, Integer> statuses() {
            Map<Integer, Integer> out = new java.util.TreeMap<>();
            statuses.forEach((k, v) -> out.put(k, v.get()));
            return out;
        }

        void run(Duration length) {
            long start = System.nanoTime();
            long count = (long) (rate * length.toSeconds());
            try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
                for (long i = 0; i < count; i++) {
                    long due = start + (long) (i * 1e9 / rate);
                    java.util.concurrent.locks.LockSupport.parkNanos(due - System.nanoTime());
                    int n = sequence.getAndIncrement();
                    senders.submit(() -> submitOne(n));
                }
            }
        }

        private void submitOne(int n) {
            Kind kind = ROUND.get(n % ROUND.size());
            String effect = sink.url("/effect?mode=");
            String body = switch (kind) {
                case QUICK, KEYED_TWICE -> http(effect + "quick", 10, "");
                case SLOW, CANCELLED -> http(effect + "slow", 10, "");
                case FAILS_TWICE -> http(effect + "fail&n=2", 10, ",\"maxAttempts\":4");
                case HANGS -> http(effect + "hang", 2, ",\"maxAttempts\":2");
                case DELAYED_LIMITED -> http(effect + "quick", 10, ",\"delaySeconds\":3,\"rateKey\":\"acct-limited\"");
                case CALLBACK -> http(effect + "quick", 10, ",\"callbackUrl\":\"" + sink.url("/hook?fail=2") + "\"");
                case CALLBACK_NEVER_ANSWERED -> http(effect + "quick", 10, ",\"callbackUrl\":\""
                        + sink.url("/hook?hang=1") + "\"");
            };
            String key = kind == Kind.KEYED_TWICE ? "chaos-" + n : null;
            Api.Answer first = api.submit(body, key);
            count(first.status());
            if (first.status() != 202) {
                return;
            }
            accepted.add(new Accepted(first.jobId(), kind));
            if (kind == Kind.QUICK && n % 3 == 0) {
                // a second delivery while the first is likely running: a stalled worker's lease meets it
                Thread.ofVirtual().start(() -> {
                    ChaosSoak.sleep(300);
                    sendToJobsQueue("{\"jobId\":\"" + first.jobId() + "\",\"timeoutSeconds\":10}");
                });
            }
            if (kind == Kind.KEYED_TWICE) {
                Api.Answer again = api.submit(body, key);
                count(again.status());
                if (again.status() / 100 == 2 && !first.jobId().equals(again.jobId())) {
                    throw new IllegalStateException("key " + key + " made two jobs: " + first.jobId() + " and "
                            + again.jobId());
                }
            } else if (kind == Kind.CANCELLED) {
                count(api.send("POST", "/v1/jobs/" + first.jobId() + "/cancel", "").status());
            }
        }

        /** A poison message and a second copy of an older accepted job's message, sent past the API. */
        void pastTheApi() {
            String body = "{\"chaos\": \"not a job message, number " + (poison.size() + 1) + "\"";
            if (sendToJobsQueue(body)) {
                poison.add(body);
            }
            List<Accepted> sofar = accepted();
            if (!sofar.isEmpty()) {
                Accepted job = sofar.get(sofar.size() / 2);
                sendToJobsQueue("{\"jobId\":\"" + job.jobId() + "\",\"timeoutSeconds\":60}");
            }
        }

        /** False when the queue did not take it (the runtime is down, or a fault was in the way). */
        private boolean sendToJobsQueue(String body) {
            try {
                String url = sqs.getQueueUrl(b -> b.queueName("jobway-local-JobsQueue")).queueUrl();
                sqs.sendMessage(b -> b.queueUrl(url).messageBody(body));
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        }

        private void count(int status) {
            statuses.computeIfAbsent(status, k -> new AtomicInteger()).incrementAndGet();
        }

        static String http(String url, int timeoutSeconds, String more) {
            return "{\"type\":\"http\",\"payload\":{\"url\":\"" + url + "\",\"method\":\"POST\",\"body\":\"{}\"},"
                    + "\"timeoutSeconds\":" + timeoutSeconds + more + "}";
        }
    }

    /** The jobs API as the soak calls it; a refused connection (the runtime is down) is status -1. */
    static final class Api {
        record Answer(int status, String body, String jobId) {
        }

        private final String baseUrl;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();

        Api(String baseUrl) {
            this.baseUrl = baseUrl;
        }

        Answer submit(String body, String key) {
            return send("POST", "/v1/jobs", body, key);
        }

        Answer send(String method, String path, String body) {
            return send(method, path, body, null);
        }

        /** A GET's JSON, asked again while a fault (503, no answer) is in the way; null if it never answers 200. */
        JsonNode getJson(String path) {
            return getJson(path, KEY);
        }

        /** The same with another API key. */
        JsonNode getJson(String path, String apiKey) {
            for (int tries = 0; tries < 10; tries++) {
                Answer answer = send("GET", path, "", null, apiKey);
                if (answer.status() == 200) {
                    return Json.parse(answer.body());
                }
                if (answer.status() != 503 && answer.status() >= 0) {
                    return null;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            return null;
        }

        void must(String method, String path, String body) {
            Answer answer = send(method, path, body);
            if (answer.status() / 100 != 2) {
                throw new IllegalStateException(method + " " + path + " answered " + answer.status() + ": "
                        + answer.body());
            }
        }

        private Answer send(String method, String path, String body, String key) {
            return send(method, path, body, key, KEY);
        }

        private Answer send(String method, String path, String body, String key, String apiKey) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(Duration.ofSeconds(30)).header("authorization", "Bearer " + apiKey)
                    .header("content-type", "application/json")
                    .method(method, body.isEmpty() && method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            if (key != null) {
                request.header("Idempotency-Key", key);
            }
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                JsonNode json = response.body().startsWith("{") ? Json.parse(response.body()) : null;
                return new Answer(response.statusCode(), response.body(),
                        json == null ? null : json.path("jobId").asText(null));
            } catch (ConnectException e) {
                return new Answer(-1, e.toString(), null);
            } catch (IOException e) {
                return new Answer(-2, e.toString(), null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Answer(-2, e.toString(), null);
            }
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (Files.exists(path)) {
            try (var paths = Files.walk(path)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Set<String> terminal() {
        return Set.of("succeeded", "dead", "cancelled");
    }
}
