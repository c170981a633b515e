package io.jobway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.local.LocalRuntime;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Throughput, latency and CPU of the local runtime under a steady load of submits: {@code echo} jobs sent over
 * HTTP in an open loop ({@link SubmitLoad}), each job followed to its {@code succeeded} event on a WebSocket
 * subscribed to the tenant. End to end = when that event arrived minus when the submit was due. CPU = this
 * JVM's CPU time (the runtime, its emulators and the load's client) over the time from the first submit to the
 * last job's success, in cores.
 *
 * <p>Usage: {@code ./jobway bench load RATE SECONDS [CONNECTIONS] [--data-dir DIR] [--warm-up SECONDS]
 * [--idempotency-keys] [--rate-keys N] [--limit LIMIT_JSON] [--delay-seconds S] [--priority P]
 * [--parameter-overrides 'K=V ...']} (template parameters, as {@code jobway up} takes them). A RATE of 0 saturates:
 * SECONDS is then a number of jobs, sent as fast as CONNECTIONS (default 256) clients get answers. A warm-up at 20
 * jobs/s (5 s unless {@code --warm-up}; a few minutes lets the JIT settle) runs first and is not counted.
 */
public final class LoadBench {
    private static final String KEY = "jw_bench_" + "loadloadloadloadloadloadlo";
    private static final String ECHO = "{\"type\":\"echo\",\"payload\":{}}";

    public static void main(String[] args) throws Exception {
        List<String> positional = new ArrayList<>();
        Path dataDir = null;
        Map<String, String> parameters = Map.of();
        int warmUpSeconds = 5;
        boolean keyed = false;
        int rateKeys = 0;
        String limit = null;
        int delaySeconds = 0;
        String priority = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--rate-keys")) {
                rateKeys = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--limit")) {
                limit = args[++i];
            } else if (args[i].equals("--delay-seconds")) {
                delaySeconds = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--priority")) {
                priority = args[++i];
            } else if (args[i].equals("--data-dir")) {
                dataDir = Path.of(args[++i]);
            } else if (args[i].equals("--idempotency-keys")) {
                keyed = true;
            } else if (args[i].equals("--warm-up")) {
                warmUpSeconds = Integer.parseInt(args[++i]);
            } else if (args[i].equals("--parameter-overrides")) {
                parameters = io.jobway.local.Jobway.parameterOverrides(args[++i]);
            } else {
                positional.add(args[i]);
            }
        }
        double rate = positional.size() > 0 ? Double.parseDouble(positional.get(0)) : 20;
        int seconds = positional.size() > 1 ? Integer.parseInt(positional.get(1)) : 20;
        int connections = positional.size() > 2 ? Integer.parseInt(positional.get(2)) : 256;
        var options = LocalRuntime.Options.inMemory(Path.of("template.yaml")).withParameters(parameters);
        if (dataDir != null) {
            Files.createDirectories(dataDir);
            options = options.withDataDir(dataDir);
        }
        Map<String, LongAdder> calls = new ConcurrentHashMap<>();
        options = options.withInterceptors(function -> List.of(new CallCounter(function, calls)));
        try (LocalRuntime runtime = LocalRuntime.start(options)) {
            runtime.registerKey(KEY, "bench", Set.of());
            Map<String, Long> succeededAt = new ConcurrentHashMap<>();
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create(runtime.webSocketUrl().orElseThrow() + "?token=" + KEY),
                            new SucceededEvents(succeededAt)).join();
            socket.sendText("{\"action\":\"subscribe\",\"tenant\":true}", true).join();
            Thread.sleep(500);
            SubmitLoad load = new SubmitLoad(runtime.baseUrl(), KEY);

            SubmitLoad.Result warmUp = load.run(20, Duration.ofSeconds(warmUpSeconds), 32, i -> ECHO, i -> null);
            awaitSucceeded(warmUp.accepted().keySet(), succeededAt, Duration.ofSeconds(60));

            calls.clear();
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpuBefore = os.getProcessCpuTime();
            long wallBefore = System.nanoTime();
            // saturated: SECONDS is the number of jobs, all due at once (1,000 a millisecond)
            double offered = rate > 0 ? rate : 1_000_000;
            Duration length = rate > 0 ? Duration.ofSeconds(seconds) : Duration.ofNanos(seconds * 1_000L);
            // with keys, each submit writes its job and key in one transaction (the path a retrying client takes)
            IntFunction<String> key = keyed ? i -> "load-" + i : i -> null;
            if (limit != null) {
                putLimit(runtime.baseUrl(), limit);
            }
            IntFunction<String> body = jobBody(rateKeys, delaySeconds, priority);
            SubmitLoad.Result result = load.run(offered, length, connections, body, key);
            // a job due later than the run is not waited for: the submit path is what is measured then
            boolean allDone = delaySeconds > 0
                    || awaitSucceeded(result.accepted().keySet(), succeededAt, Duration.ofSeconds(120));
            long wallNanos = System.nanoTime() - wallBefore;
            double cores = (os.getProcessCpuTime() - cpuBefore) / (double) wallNanos;
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();

            List<Long> endToEnd = new ArrayList<>();
            long lastSuccess = 0;
            for (var job : result.accepted().entrySet()) {
                Long at = succeededAt.get(job.getKey());
                if (at != null) {
                    endToEnd.add(at - job.getValue());
                    lastSuccess = Math.max(lastSuccess, at);
                }
            }
            System.out.println(rate > 0
                    ? String.format("offered load: %.0f submits/s for %d s, up to %d connections (open loop)", rate,
                    seconds, connections)
                    : String.format("saturated: %d submits from %d connections", result.sent(), connections));
            System.out.println("answers: " + result.statuses() + (result.failures().isEmpty() ? ""
                    : "  first failures: " + result.failures().subList(0, Math.min(3, result.failures().size()))));
            System.out.printf("accepted %d, succeeded (event seen) %d%s%n", result.accepted().size(), endToEnd.size(),
                    delaySeconds > 0 ? "  (due in " + delaySeconds + " s: not waited for)"
                            : allDone ? "" : "  (gave up waiting 120 s after the last submit)");
            System.out.printf("throughput: %.1f jobs/s (first submit to last success)%n",
                    endToEnd.size() * 1e9 / wallNanos);
            System.out.printf("CPU: %.2f cores over %.1f s%n", cores, wallNanos / 1e9);
            System.out.println(RealtimeLatencyBench.summary("submit (any answer)", result.latenciesMs()));
            System.out.println(RealtimeLatencyBench.summary("end to end", endToEnd));
            System.out.println("AWS calls per accepted job, by function (the functions' own clients):");
            new TreeMap<>(calls).forEach((call, n) -> System.out.printf("  %-50s %6.2f%n", call,
                    n.sum() / (double) Math.max(1, result.accepted().size())));
        }
    }

    /** An echo job's body; with rate keys, job i counts against key {@code acct-(i mod keys)}. */
    static IntFunction<String> jobBody(int rateKeys, int delaySeconds, String priority) {
        return i -> {
            var job = io.jobway.json.Json.object().put("type", "echo");
            job.putObject("payload");
            if (rateKeys > 0) {
                job.put("rateKey", "acct-" + (i % rateKeys));
            }
            if (delaySeconds > 0) {
                job.put("delaySeconds", delaySeconds);
            }
            if (priority != null) {
                job.put("priority", priority);
            }
            return io.jobway.json.Json.write(job);
        };
    }

    /** Declares the echo jobs' limit (for every rate key) before the run, as a tenant would. */
    private static void putLimit(String baseUrl, String limit) throws java.io.IOException, InterruptedException {
        var response = HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        URI.create(baseUrl + "/v1/limits/echo")).header("authorization", "Bearer " + KEY)
                .header("content-type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(limit)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalArgumentException("--limit " + limit + " was refused: " + response.body());
        }
    }

    /** Waits until every job in {@code jobs} has a succeeded event; false if {@code patience} ran out first. */
    private static boolean awaitSucceeded(Set<String> jobs, Map<String, Long> succeededAt, Duration patience)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(patience);
        while (!succeededAt.keySet().containsAll(jobs)) {
            if (Instant.now().isAfter(deadline)) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** Counts each function's AWS calls by operation. */
    private record CallCounter(String function, Map<String, LongAdder> calls)
            implements ExecutionInterceptor {
        @Override
        public void beforeExecution(Context.BeforeExecution context,
                                    ExecutionAttributes attributes) {
            String operation = attributes.getAttribute(
                    SdkExecutionAttribute.OPERATION_NAME);
            calls.computeIfAbsent(function + " " + operation, k -> new LongAdder())
                    .increment();
        }
    }

    /** Notes when each job's succeeded event arrives. */
    private static final class SucceededEvents extends JobEvents {
        private final Map<String, Long> succeededAt;

        SucceededEvents(Map<String, Long> succeededAt) {
            this.succeededAt = succeededAt;
        }

        @Override
        void onStatus(JsonNode event, long arrivedAt) {
            if ("succeeded".equals(event.path("status").asText())) {
                succeededAt.putIfAbsent(event.path("jobId").asText(), arrivedAt);
            }
        }
    }
}
