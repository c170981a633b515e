package io.jobway.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jobway.json.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The chaos soak's independent record of side effects: the endpoint its {@code http} jobs call and its callback
 * receiver. Each call is counted by job and attempt (the {@code webhook-id} Jobway signs, {@code job_<id>_<n>});
 * an effect is committed by job id, as an idempotent app commits it, and every commit is counted, so a re-run
 * shows. How a call answers is its query: {@code mode=quick|slow|fail|hang} and {@code n} (fail the first n
 * attempts); {@code cron=1} marks a schedule's job, whose ids are kept. The receiver at {@code /hook?fail=n}
 * answers 500 to a webhook's first n tries, at {@code /hook?hang=1} it never answers in time; as Standard Webhooks
 * asks of a receiver, it takes a {@code webhook-id} once, and counts a repeat apart.
 */
final class SideEffectSink implements AutoCloseable {
    private final HttpServer server;
    /** Calls by "jobId attempt". */
    final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();
    /** 2xx answers by job id: more than one is an effect that an app without a key would commit twice. */
    final Map<String, AtomicInteger> commits = new ConcurrentHashMap<>();
    /** When each job's effect was first committed (epoch ms). */
    final Map<String, Long> firstCommitAt = new ConcurrentHashMap<>();
    /** Webhook tries by webhook id; by job id, the webhook ids answered 2xx and how many 2xx answers in all. */
    private final Map<String, AtomicInteger> hookTries = new ConcurrentHashMap<>();
    final Map<String, Set<String>> hooksDelivered = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> hookAnswers = new ConcurrentHashMap<>();
    /** The jobs a cron schedule made, seen by their calls. */
    final Set<String> cronJobs = ConcurrentHashMap.newKeySet();

    SideEffectSink() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/effect", this::effect);
        server.createContext("/hook", this::hook);
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private void effect(HttpExchange exchange) throws IOException {
        String id = exchange.getRequestHeaders().getFirst("webhook-id"); // job_<jobId>_<attempt>
        Map<String, String> query = query(exchange);
        if (id == null || !id.startsWith("job_")) {
            answer(exchange, 400, "no webhook-id");
            return;
        }
        String jobId = id.substring(4, id.lastIndexOf('_'));
        int attempt = Integer.parseInt(id.substring(id.lastIndexOf('_') + 1));
        executions.computeIfAbsent(jobId + " " + attempt, k -> new AtomicInteger()).incrementAndGet();
        if (query.containsKey("cron")) {
            cronJobs.add(jobId);
        }
        switch (query.getOrDefault("mode", "quick")) {
            case "slow" -> ChaosSoak.sleep(1_500);
            case "hang" -> {
                ChaosSoak.sleep(10_000); // past the job's timeout: its caller has given up, so nothing is committed
                answer(exchange, 504, "hung");
                return;
            }
            case "fail" -> {
                if (attempt <= Integer.parseInt(query.getOrDefault("n", "1"))) {
                    answer(exchange, 500, "failing on purpose, attempt " + attempt);
                    return;
                }
            }
            default -> { }
        }
        commits.computeIfAbsent(jobId, k -> new AtomicInteger()).incrementAndGet();
        firstCommitAt.putIfAbsent(jobId, System.currentTimeMillis());
        answer(exchange, 200, "{\"committed\":\"" + jobId + "\"}");
    }

    private void hook(HttpExchange exchange) throws IOException {
        String webhookId = exchange.getRequestHeaders().getFirst("webhook-id");
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (query(exchange).containsKey("hang")) {
            ChaosSoak.sleep(12_000); // past the 10 s Jobway waits for an answer: it has given up
            answer(exchange, 504, "never answered in time");
            return;
        }
        int failFirst = Integer.parseInt(query(exchange).getOrDefault("fail", "0"));
        int tries = hookTries.computeIfAbsent(String.valueOf(webhookId), k -> new AtomicInteger()).incrementAndGet();
        if (tries <= failFirst) {
            answer(exchange, 500, "failing on purpose, try " + tries);
            return;
        }
        com.fasterxml.jackson.databind.JsonNode json = Json.parse(body);
        String jobId = json.path("data").path("jobId").asText(json.path("jobId").asText());
        hooksDelivered.computeIfAbsent(jobId, k -> ConcurrentHashMap.newKeySet()).add(String.valueOf(webhookId));
        hookAnswers.computeIfAbsent(jobId, k -> new AtomicInteger()).incrementAndGet();
        answer(exchange, 200, "ok");
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> out = new ConcurrentHashMap<>();
        String q = exchange.getRequestURI().getQuery();
        if (q != null) {
            for (String part : q.split("&")) {
                String[] kv = part.split("=", 2);
                out.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        return out;
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("content-type", body.startsWith("{") ? "application/json" : "text/plain");
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        } catch (IOException gone) {
            // the caller gave up (its job timed out): the answer has nowhere to go
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
