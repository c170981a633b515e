package io.jobway.bench;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An open-loop load of {@code POST /v1/jobs}: request i is due at start + i / rate whatever the earlier ones did,
 * as an app's traffic arrives, from a client with at most {@code maxConnections} requests open at once (a request
 * waits for a free one). Latency counts from when a request was due, so a stalled server is not hidden by a
 * stalled client (coordinated omission).
 */
public final class SubmitLoad {
    private static final Pattern JOB_ID = Pattern.compile("\"jobId\"\\s*:\\s*\"([^\"]+)\"");
    /** The status counted for a request sent that got no answer (its fate is unknown). */
    public static final int NO_ANSWER = -1;
    /** The status counted for a request whose connection was refused (it never reached the server). */
    public static final int REFUSED = -2;

    /**
     * What the load got back. {@code accepted} maps each 202's job id to when its request was due (epoch ms),
     * {@code acceptedKeys} each 202's job id to its Idempotency-Key, and {@code unansweredKeys} holds the keys of
     * requests that reached the server and got no 2xx (their fate is unknown to the client: replaying the key
     * tells). {@code statuses} counts {@link #NO_ANSWER} and {@link #REFUSED} beside the HTTP statuses.
     */
    public record Result(int sent, Map<Integer, Long> statuses, List<Long> latenciesMs, Map<String, Long> accepted,
                         Map<String, String> acceptedKeys, List<String> unansweredKeys, List<String> failures,
                         long lastDueEpochMs) {
        public long count(int status) {
            return statuses.getOrDefault(status, 0L);
        }

        public long serverErrors() {
            return statuses.entrySet().stream().filter(e -> e.getKey() >= 500).mapToLong(Map.Entry::getValue).sum();
        }
    }

    private final URI jobsUrl;
    private final String apiKey;
    private final boolean batched;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    private final AtomicLong acceptedSoFar = new AtomicLong();
    private volatile boolean stopped;

    public SubmitLoad(String baseUrl, String apiKey) {
        this(baseUrl, apiKey, 1);
    }

    /** With {@code batch} over 1, each request is a {@code POST /v1/jobs/batch} whose body holds that many jobs. */
    public SubmitLoad(String baseUrl, String apiKey, int batch) {
        this.batched = batch > 1;
        this.jobsUrl = URI.create(baseUrl + (batched ? "/v1/jobs/batch" : "/v1/jobs"));
        this.apiKey = apiKey;
    }

    /** How many 202s the running load has had so far. */
    public long acceptedSoFar() {
        return acceptedSoFar.get();
    }

    /** Ends a running load early: no further request is sent, and {@link #run} returns once those sent are answered. */
    public void stop() {
        stopped = true;
    }

    /**
     * Sends {@code rate} requests a second for {@code duration}; request i's body is {@code body.apply(i)}, and
     * {@code idempotencyKey.apply(i)} its Idempotency-Key (null for none). Returns when every request is answered.
     */
    public Result run(double rate, Duration duration, int maxConnections, IntFunction<String> body,
                      IntFunction<String> idempotencyKey) throws InterruptedException {
        int planned = (int) Math.round(rate * duration.toMillis() / 1000.0);
        int total = 0;
        long intervalNanos = (long) (1e9 / rate);
        Semaphore connections = new Semaphore(maxConnections);
        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        Map<String, Long> accepted = new ConcurrentHashMap<>();
        Map<String, String> acceptedKeys = new ConcurrentHashMap<>();
        List<String> unansweredKeys = Collections.synchronizedList(new ArrayList<>());
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        long startNanos = System.nanoTime();
        long startEpochMs = System.currentTimeMillis();
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < planned && !stopped; i++, total++) {
                long due = startNanos + i * intervalNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(Duration.ofNanos(wait));
                }
                int n = i;
                long dueEpochMs = startEpochMs + (due - startNanos) / 1_000_000;
                senders.submit(() -> {
                    connections.acquireUninterruptibly();
                    String key = idempotencyKey.apply(n);
                    boolean answered = false;
                    boolean refused = false;
                    try {
                        HttpRequest.Builder request = HttpRequest.newBuilder(jobsUrl).timeout(Duration.ofSeconds(60))
                                .header("authorization", "Bearer " + apiKey)
                                .header("content-type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body.apply(n)));
                        if (key != null) {
                            request.header("Idempotency-Key", key);
                        }
                        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                        latencies.add((System.nanoTime() - due) / 1_000_000);
                        statuses.computeIfAbsent(response.statusCode(), s -> new AtomicLong()).incrementAndGet();
                        Matcher id = JOB_ID.matcher(response.body());
                        answered = response.statusCode() / 100 == 2;
                        if (batched && response.statusCode() == 200) {
                            // each item answered on its own: its job accepted (202) or not
                            for (var item : io.jobway.json.Json.parse(response.body()).path("items")) {
                                if (item.path("status").asInt() == 202) {
                                    accepted.put(item.path("job").path("jobId").asText(), dueEpochMs);
                                    acceptedSoFar.incrementAndGet();
                                }
                            }
                        } else if (response.statusCode() == 202 && id.find()) {
                            accepted.put(id.group(1), dueEpochMs);
                            acceptedSoFar.incrementAndGet();
                            if (key != null) {
                                acceptedKeys.put(id.group(1), key);
                            }
                        } else if (response.statusCode() >= 500 && failures.size() < 20) {
                            failures.add(response.statusCode() + " " + response.body());
                        }
                    } catch (ConnectException e) {
                        // nothing listened: the request never reached the server, so it made no job
                        statuses.computeIfAbsent(REFUSED, s -> new AtomicLong()).incrementAndGet();
                        refused = true;
                    } catch (IOException e) {
                        statuses.computeIfAbsent(NO_ANSWER, s -> new AtomicLong()).incrementAndGet();
                        if (failures.size() < 20) {
                            failures.add("no answer: " + e);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        connections.release();
                        if (!answered && !refused && key != null) {
                            unansweredKeys.add(key);
                        }
                    }
                });
            }
        }
        Map<Integer, Long> counts = new java.util.TreeMap<>();
        statuses.forEach((status, count) -> counts.put(status, count.get()));
        return new Result(total, counts, List.copyOf(latencies), Map.copyOf(accepted), Map.copyOf(acceptedKeys),
                List.copyOf(unansweredKeys), List.copyOf(failures),
                startEpochMs + (total - 1) * intervalNanos / 1_000_000);
    }
}
