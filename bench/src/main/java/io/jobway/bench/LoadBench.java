package io.jobway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.local.LocalRuntime;
import io.jobway.local.lambda.LocalFunction;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
import java.util.function.IntFunction;

/**
 * Throughput, latency, CPU, memory and dollars per job of the local runtime under a steady load of submits:
 * {@code echo} jobs sent over HTTP in an open loop ({@link SubmitLoad}), each job followed on a WebSocket
 * subscribed to the tenant. Submit = answer minus when the request was due; queue wait = the claim (the running
 * event's time) minus the job's creation (its UUIDv7 id); end to end = the succeeded event's arrival minus when the
 * submit was due; status -> WebSocket = each event's arrival minus its change. CPU and memory are this JVM's (the
 * runtime, its emulators and the load's client). Then, in the same command: the ceiling (the calls of one job
 * alone, saturated on fresh emulators, {@link JobCalls}), and with {@code --peer} the same load on BullMQ
 * ({@link BullMqPeer}). Dollars come from the calls, capacity units, invocations and log bytes counted
 * ({@link CostModel}). The figures go to bench/target/load-result.json unless {@code --out}; {@code ./jobway bench
 * chart FILE} draws them.
 *
 * <p>Usage: {@code ./jobway bench load RATE SECONDS [CONNECTIONS] [--batch N] [--peer] [--no-ceiling] [--out FILE]
 * [--data-dir DIR] [--warm-up SECONDS] [--idempotency-keys] [--rate-keys N] [--limit LIMIT_JSON]
 * [--delay-seconds S] [--priority P] [--parameter-overrides 'K=V ...']} (template parameters, as {@code jobway up}
 * takes them). RATE is jobs a second; with {@code --batch N} they go N to a {@code POST /v1/jobs/batch}. A RATE of 0
 * saturates: SECONDS is then a number of requests, sent as fast as CONNECTIONS (default 256) clients get answers. A
 * warm-up at 20 jobs/s (5 s unless {@code --warm-up}; a few minutes lets the JIT settle) runs first, not counted.
 */
public final class LoadBench {
    private static final String KEY = "jw_bench_" + "loadloadloadloadloadloadlo";
    private static final String ECHO = "{\"type\":\"echo\",\"payload\":{}}";

    /** SQS's operations, as the interceptor names them: each is a request SQS bills (every Jobway message < 64 KB). */
    private static final Set<String> SQS_OPERATIONS = Set.of("SendMessage", "SendMessageBatch", "ReceiveMessage",
            "DeleteMessage", "DeleteMessageBatch", "ChangeMessageVisibility", "ChangeMessageVisibilityBatch",
            "GetQueueAttributes");

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
        int batch = 1;
        Path out = Path.of("bench/target/load-result.json");
        boolean ceiling = true;
        boolean peer = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rate-keys" -> rateKeys = Integer.parseInt(args[++i]);
                case "--limit" -> limit = args[++i];
                case "--delay-seconds" -> delaySeconds = Integer.parseInt(args[++i]);
                case "--priority" -> priority = args[++i];
                case "--data-dir" -> dataDir = Path.of(args[++i]);
                case "--idempotency-keys" -> keyed = true;
                case "--warm-up" -> warmUpSeconds = Integer.parseInt(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--no-ceiling" -> ceiling = false;
                case "--peer" -> peer = true;
                case "--parameter-overrides" -> parameters = io.jobway.local.Jobway.parameterOverrides(args[++i]);
                default -> positional.add(args[i]);
            }
        }
        if (batch < 1 || batch > 100 || (batch > 1 && keyed)) {
            throw new IllegalArgumentException("--batch takes 1 to 100 jobs a request, without --idempotency-keys");
        }
        double rate = positional.size() > 0 ? Double.parseDouble(positional.get(0)) : 20;
        int seconds = positional.size() > 1 ? Integer.parseInt(positional.get(1)) : 20;
        int connections = positional.size() > 2 ? Integer.parseInt(positional.get(2)) : 256;
        var options = LocalRuntime.Options.inMemory(Path.of("template.yaml")).withParameters(parameters);
        if (dataDir != null) {
            Files.createDirectories(dataDir);
            options = options.withDataDir(dataDir);
        }
        AwsUsage usage = new AwsUsage();
        options = options.withInterceptors(function -> List.of(usage.interceptorFor(function)));
        // the functions' log lines go to a file, counted: their bytes are CloudWatch Logs' share of the cost
        PrintStream report = System.out;
        Path logFile = out.resolveSibling("load-run.log");
        Files.createDirectories(logFile.getParent());
        CountingStream logs = new CountingStream(Files.newOutputStream(logFile));
        System.setOut(new PrintStream(logs, true, StandardCharsets.UTF_8));
        long startNanos = System.nanoTime();
        try (LocalRuntime runtime = LocalRuntime.start(options)) {
            long startMillis = (System.nanoTime() - startNanos) / 1_000_000;
            long rssIdleMib = memoryMib("VmRSS");
            runtime.registerKey(KEY, "bench", Set.of());
            JobTimes times = new JobTimes();
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create(runtime.webSocketUrl().orElseThrow() + "?token=" + KEY), times).join();
            socket.sendText("{\"action\":\"subscribe\",\"tenant\":true}", true).join();
            Thread.sleep(500);
            SubmitLoad load = new SubmitLoad(runtime.baseUrl(), KEY, batch);

            SubmitLoad.Result warmUp = load.run(20.0 / batch, Duration.ofSeconds(warmUpSeconds), 32,
                    batched(batch, i -> ECHO), i -> null);
            awaitSucceeded(warmUp.accepted().keySet(), times.succeededAt, Duration.ofSeconds(60));

            usage.clear();
            logs.reset();
            Map<String, LocalFunction.Usage> before = functionUsage(runtime);
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpuBefore = os.getProcessCpuTime();
            long wallBefore = System.nanoTime();
            // saturated: SECONDS is the number of requests, all due at once (1,000 a millisecond)
            double offered = rate > 0 ? rate / batch : 1_000_000;
            Duration length = rate > 0 ? Duration.ofSeconds(seconds) : Duration.ofNanos(seconds * 1_000L);
            // with keys, each submit writes its job and key in one transaction (the path a retrying client takes)
            IntFunction<String> key = keyed ? i -> "load-" + i : i -> null;
            if (limit != null) {
                putLimit(runtime.baseUrl(), limit);
            }
            SubmitLoad.Result result = load.run(offered, length, connections,
                    batched(batch, jobBody(rateKeys, delaySeconds, priority)), key);
            // a job due later than the run is not waited for: the submit path is what is measured then
            boolean allDone = delaySeconds > 0
                    || awaitSucceeded(result.accepted().keySet(), times.succeededAt, Duration.ofSeconds(120));
            long wallNanos = System.nanoTime() - wallBefore;
            double cores = (os.getProcessCpuTime() - cpuBefore) / (double) wallNanos;
            long rssPeakMib = memoryMib("VmHWM");
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
            Thread.sleep(200); // the last events' stream records reach the notifier

            int accepted = result.accepted().size();
            List<Long> endToEnd = new ArrayList<>();
            List<Long> queueWait = new ArrayList<>();
            for (var job : result.accepted().entrySet()) {
                Long at = times.succeededAt.get(job.getKey());
                if (at != null) {
                    endToEnd.add(at - job.getValue());
                }
                Long started = times.startedAt.get(job.getKey());
                if (started != null) {
                    queueWait.add(started - createdAtMillis(job.getKey()));
                }
            }
            report.println(rate > 0
                    ? String.format("offered load: %.0f jobs/s for %d s%s, up to %d connections (open loop)", rate,
                    seconds, batch > 1 ? " in batches of " + batch : "", connections)
                    : String.format("saturated: %d requests%s from %d connections", result.sent(),
                    batch > 1 ? " of " + batch + " jobs" : "", connections));
            report.println("answers: " + result.statuses() + (result.failures().isEmpty() ? ""
                    : "  first failures: " + result.failures().subList(0, Math.min(3, result.failures().size()))));
            report.printf("accepted %d, succeeded (event seen) %d%s%n", accepted, endToEnd.size(),
                    delaySeconds > 0 ? "  (due in " + delaySeconds + " s: not waited for)"
                            : allDone ? "" : "  (gave up waiting 120 s after the last submit)");
            double throughput = endToEnd.size() * 1e9 / wallNanos;
            report.printf("throughput: %.1f jobs/s (first submit to last success)%n", throughput);
            report.printf("CPU: %.2f cores over %.1f s%n", cores, wallNanos / 1e9);
            report.printf("start to serving: %d ms; resident memory: %d MiB idle after start, %d MiB at the peak"
                    + " (this JVM: runtime, emulators and the load's client)%n", startMillis, rssIdleMib, rssPeakMib);
            report.println(summary("submit (any answer)", result.latenciesMs()));
            report.println(summary("queue wait", queueWait));
            report.println(summary("end to end", endToEnd));
            report.println(summary("status -> WebSocket", times.realtimeLatencies()));
            report.println("AWS calls per accepted job, by function (the functions' own clients):");
            usage.calls().forEach((call, n) -> report.printf("  %-50s %6.2f%n", call, n / (double) Math.max(1, accepted)));

            CostModel.PerJob perJob = perJob(runtime, before, usage, result, accepted, logs.count());
            List<CostModel.Line> lines = CostModel.lines(perJob);
            report.printf("dollars per million jobs (us-east-1 list prices; see CostModel): $%.2f%n",
                    CostModel.total(lines));
            lines.forEach(line -> report.printf("  %-34s $%6.3f   %s%n", line.item(), line.dollarsPerMillion(),
                    line.assumption()));
            runtime.close();

            Double ceilingJobsPerSecond = null;
            if (ceiling) {
                try (JobCalls calls = new JobCalls().startConsumers(4)) {
                    ceilingJobsPerSecond = calls.saturatedJobsPerSecond(8, Duration.ofSeconds(5), Duration.ofSeconds(10));
                }
                report.printf("ceiling: the calls of one job alone, saturated on fresh emulators in this run: %.1f"
                        + " jobs/s; the pipeline ran at %.0f%% of it%n", ceilingJobsPerSecond,
                        100 * throughput / ceilingJobsPerSecond);
            }
            BullMqPeer.Result bullmq = null;
            if (peer && rate > 0) {
                bullmq = BullMqPeer.run(rate, seconds, PEER_CONCURRENCY);
                report.printf("peer: BullMQ 6.7.0 + Redis 7.0 (AOF every second), the same open loop, %d jobs at once:"
                        + " accepted %d, succeeded %d, %.1f jobs/s%n", PEER_CONCURRENCY, bullmq.accepted(),
                        bullmq.succeeded(), bullmq.throughput());
                report.println(summary("  peer submit", bullmq.submitMs()));
                report.println(summary("  peer queue wait", bullmq.queueWaitMs()));
                report.println(summary("  peer end to end", bullmq.endToEndMs()));
                report.printf("  ours / theirs: throughput %.2f; submit p50 %s, p99 %s; end to end p50 %s, p99 %s%n",
                        throughput / bullmq.throughput(), ratio(result.latenciesMs(), bullmq.submitMs(), 50),
                        ratio(result.latenciesMs(), bullmq.submitMs(), 99), ratio(endToEnd, bullmq.endToEndMs(), 50),
                        ratio(endToEnd, bullmq.endToEndMs(), 99));
            }
            LoadResult.write(out, new LoadResult(Instant.now().toString(), String.join(" ", args), rate, seconds,
                    batch, connections, result.statuses(), accepted, endToEnd.size(), throughput, cores, startMillis,
                    rssIdleMib, rssPeakMib, result.latenciesMs(), queueWait, endToEnd, times.realtimeLatencies(),
                    usage.calls(), lines, ceilingJobsPerSecond, bullmq));
            report.println("results: " + out + " (chart: ./jobway bench chart " + out + ")");
        } finally {
            System.setOut(report);
        }
    }

    /** What one accepted job cost in each billed unit, from the run's counts. */
    private static CostModel.PerJob perJob(LocalRuntime runtime, Map<String, LocalFunction.Usage> before,
                                           AwsUsage usage, SubmitLoad.Result result, int accepted, long logBytes) {
        double jobs = Math.max(1, accepted);
        List<CostModel.FunctionShare> shares = new ArrayList<>();
        double workerInvocations = 0;
        for (var function : runtime.functions().entrySet()) {
            LocalFunction.Usage now = function.getValue().usage();
            LocalFunction.Usage then = before.get(function.getKey());
            long invocations = now.invocations() - then.invocations();
            if (invocations > 0) {
                shares.add(new CostModel.FunctionShare(function.getKey(), invocations / jobs,
                        (now.billedMillis() - then.billedMillis()) / jobs, function.getValue().memoryMb()));
            }
            if (function.getKey().equals("WorkerFunction")) {
                workerInvocations = invocations;
            }
        }
        // Lambda's SQS pollers: one receive and one DeleteMessageBatch per worker batch (idle long polls are a
        // fixed cost a month, not a cost per job)
        double sqs = (usage.callsTo(SQS_OPERATIONS) + 2 * workerInvocations) / jobs;
        long acceptedRequests = result.count(202) + result.count(200);
        long posts = usage.calls().entrySet().stream().filter(e -> e.getKey().endsWith(" PostToConnection"))
                .mapToLong(Map.Entry::getValue).sum();
        return new CostModel.PerJob(acceptedRequests / jobs, shares, sqs, usage.writeUnits() / jobs,
                usage.readUnits() / jobs, posts / jobs, logBytes / jobs);
    }

    private static Map<String, LocalFunction.Usage> functionUsage(LocalRuntime runtime) {
        Map<String, LocalFunction.Usage> usage = new TreeMap<>();
        runtime.functions().forEach((name, function) -> usage.put(name, function.usage()));
        return usage;
    }

    /** The peer worker's concurrency: as many jobs at once as the normal queue's default mapping (10 x 10). */
    private static final int PEER_CONCURRENCY = 100;

    /** Our percentile over theirs, as "x.xx" (their 0 ms reads as 1 ms: a ratio, not a division by zero). */
    private static String ratio(List<Long> ours, List<Long> theirs, int p) {
        if (ours.isEmpty() || theirs.isEmpty()) {
            return "n/a";
        }
        long a = RealtimeLatencyBench.percentile(ours.stream().sorted().toList(), p);
        long b = RealtimeLatencyBench.percentile(theirs.stream().sorted().toList(), p);
        return String.format("%.1f", a / (double) Math.max(1, b));
    }

    /** A job id is a UUIDv7: its first 48 bits are the epoch milliseconds it was made in, at the submit. */
    static long createdAtMillis(String jobId) {
        return Long.parseLong(jobId.replace("-", "").substring(0, 12), 16);
    }

    /** This process's resident memory ({@code VmRSS}) or its peak so far ({@code VmHWM}), in MiB; -1 off Linux. */
    private static long memoryMib(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (java.io.IOException e) {
            // not Linux
        }
        return -1;
    }

    /** p50, p95 and p99 (the percentiles) and the largest. */
    static String summary(String label, List<Long> values) {
        if (values.isEmpty()) {
            return String.format("%-22s no events", label);
        }
        List<Long> sorted = new ArrayList<>(values);
        java.util.Collections.sort(sorted);
        return String.format("%-22s n=%5d  p50=%5d ms  p95=%5d ms  p99=%5d ms  max=%5d ms", label, sorted.size(),
                RealtimeLatencyBench.percentile(sorted, 50), RealtimeLatencyBench.percentile(sorted, 95),
                RealtimeLatencyBench.percentile(sorted, 99), sorted.get(sorted.size() - 1));
    }

    /** Request i's body: one job, or a batch of {@code batch} jobs numbered i*batch onwards. */
    static IntFunction<String> batched(int batch, IntFunction<String> job) {
        if (batch == 1) {
            return job;
        }
        return i -> {
            StringBuilder body = new StringBuilder("{\"jobs\":[");
            for (int j = 0; j < batch; j++) {
                body.append(j == 0 ? "" : ",").append(job.apply(i * batch + j));
            }
            return body.append("]}").toString();
        };
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

    /** Each job's claim (its running event's time) and when its succeeded event arrived; each event's delay. */
    private static final class JobTimes extends JobEvents {
        final Map<String, Long> succeededAt = new ConcurrentHashMap<>();
        final Map<String, Long> startedAt = new ConcurrentHashMap<>();
        private final List<Long> realtime = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        void onStatus(JsonNode event, long arrivedAt) {
            String jobId = event.path("jobId").asText();
            String status = event.path("status").asText();
            long updatedAt = Instant.parse(event.path("updatedAt").asText()).toEpochMilli();
            realtime.add(arrivedAt - updatedAt);
            if ("running".equals(status)) {
                startedAt.putIfAbsent(jobId, updatedAt);
            } else if ("succeeded".equals(status)) {
                succeededAt.putIfAbsent(jobId, arrivedAt);
            }
        }

        List<Long> realtimeLatencies() {
            return List.copyOf(realtime);
        }
    }

    /** Counts the bytes written through it (the functions' log lines). */
    private static final class CountingStream extends java.io.FilterOutputStream {
        private final java.util.concurrent.atomic.AtomicLong count = new java.util.concurrent.atomic.AtomicLong();

        CountingStream(java.io.OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws java.io.IOException {
            out.write(b);
            count.incrementAndGet();
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            out.write(b, off, len);
            count.addAndGet(len);
        }

        long count() {
            return count.get();
        }

        void reset() {
            count.set(0);
        }
    }
}
