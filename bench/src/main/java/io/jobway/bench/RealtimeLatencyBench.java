package io.jobway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.local.LocalRuntime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How long a job's change takes from being written to DynamoDB to reaching a browser over WebSocket, on the
 * local runtime: each event carries {@code updatedAt} (the time written into the record); the client notes
 * when the event arrives. Both clocks are this JVM's.
 *
 * <p>Usage: {@code ./jobway bench realtime [JOBS] [JOBS_PER_SECOND]}. Without a rate, 16 jobs are kept in flight
 * (closed loop: the machine runs flat out, so latency includes queueing behind the other jobs); with one, jobs are
 * submitted at that steady rate (open loop: latency at a known load, as a real app sees it).
 */
public final class RealtimeLatencyBench {
    private static final String KEY = "jw_bench_" + "benchbenchbenchbenchbenchb";

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        double rate = args.length > 1 ? Double.parseDouble(args[1]) : 0;
        int inFlight = 16;
        long intervalNanos = rate > 0 ? (long) (1e9 / rate) : 0;
        try (LocalRuntime runtime = LocalRuntime.start(LocalRuntime.Options.inMemory(Path.of("template.yaml")))) {
            runtime.registerKey(KEY, "bench", Set.of());
            Map<String, List<Long>> latencies = new ConcurrentHashMap<>();
            Set<String> finished = ConcurrentHashMap.newKeySet();
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create(runtime.webSocketUrl().orElseThrow() + "?token=" + KEY),
                            new Recorder(latencies, finished)).join();
            socket.sendText("{\"action\":\"subscribe\",\"tenant\":true}", true).join();
            Thread.sleep(500);

            HttpClient http = HttpClient.newHttpClient();
            Semaphore window = new Semaphore(inFlight);
            AtomicInteger submitted = new AtomicInteger();
            Instant start = Instant.now();
            long startNanos = System.nanoTime();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < jobs; i++) {
                    window.acquire();
                    pool.submit(() -> {
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(runtime.baseUrl() + "/v1/jobs"))
                                    .header("authorization", "Bearer " + KEY).header("content-type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"echo\",\"payload\":{}}")).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 202) {
                                submitted.incrementAndGet();
                            }
                        } catch (Exception e) {
                            System.err.println("submit failed: " + e);
                        } finally {
                            window.release();
                        }
                        return null;
                    });
                    if (rate > 0) {
                        long due = startNanos + (i + 1) * intervalNanos;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                        continue;
                    }
                    // keep at most `inFlight` unfinished jobs, so the pipeline is measured, not a backlog
                    Instant stall = Instant.now().plusSeconds(30);
                    while (submitted.get() - finished.size() > inFlight && Instant.now().isBefore(stall)) {
                        Thread.sleep(2);
                    }
                }
            }
            Instant deadline = Instant.now().plusSeconds(60);
            while (finished.size() < submitted.get() && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            Duration took = Duration.between(start, Instant.now());
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();

            System.out.println(rate > 0 ? String.format("offered load: %.1f jobs/s (open loop)", rate)
                    : "offered load: " + inFlight + " jobs in flight (closed loop)");
            System.out.printf("jobs submitted %d, finished (succeeded event seen) %d, in %.1f s (%.0f jobs/s)%n",
                    submitted.get(), finished.size(), took.toMillis() / 1000.0, finished.size() * 1000.0 / took.toMillis());
            List<Long> all = new ArrayList<>();
            for (String status : List.of("queued", "running", "succeeded")) {
                List<Long> values = latencies.getOrDefault(status, List.of());
                all.addAll(values);
                System.out.println(summary("status " + status, values));
            }
            System.out.println(summary("all status changes", all));
        }
    }

    static String summary(String label, List<Long> values) {
        if (values.isEmpty()) {
            return label + ": no events";
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return String.format("%-22s n=%5d  p50=%4d ms  p90=%4d ms  p99=%4d ms  max=%4d ms", label, sorted.size(),
                percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99), sorted.get(sorted.size() - 1));
    }

    static long percentile(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    /** Notes the latency of each status change event (progress-only events are not counted). */
    private static final class Recorder extends JobEvents {
        private final Map<String, List<Long>> latencies;
        private final Set<String> finished;

        Recorder(Map<String, List<Long>> latencies, Set<String> finished) {
            this.latencies = latencies;
            this.finished = finished;
        }

        @Override
        void onStatus(JsonNode event, long arrivedAt) {
            String status = event.path("status").asText();
            long latency = arrivedAt - Instant.parse(event.path("updatedAt").asText()).toEpochMilli();
            latencies.computeIfAbsent(status, s -> Collections.synchronizedList(new ArrayList<>())).add(latency);
            if (status.equals("succeeded")) {
                finished.add(event.path("jobId").asText());
            }
        }
    }
}
