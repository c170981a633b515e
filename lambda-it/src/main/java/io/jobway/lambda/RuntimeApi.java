package io.jobway.lambda;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The Lambda Runtime API (docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html) on a loopback port: the
 * runtime asks for the next invocation (the request blocks until one is queued), then posts its response or
 * error; init and restore errors have their own routes; {@code restore/next} is SnapStart's "snapshot taken,
 * now restored" point. It also serves container credentials, as Lambda does for SnapStart functions.
 * Times are {@link System#nanoTime()} readings.
 */
final class RuntimeApi implements AutoCloseable {
    private static final String RUNTIME = "/2018-06-01/runtime/";
    static final String CREDENTIALS_PATH = "/credentials";
    static final String CREDENTIALS_TOKEN = "lambda-it-container-token";

    /** What the runtime reported for an invocation, an init or a restore. */
    record Report(long atNanos, String errorType, String body) {
        boolean failed() {
            return errorType != null;
        }
    }

    private record Invocation(String requestId, byte[] event, long deadlineMs, CompletableFuture<Report> result) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final String functionArn;
    private final BlockingQueue<Invocation> queued = new LinkedBlockingQueue<>();
    private final Map<String, Invocation> running = new ConcurrentHashMap<>();
    private final CompletableFuture<Report> initError = new CompletableFuture<>();
    private final CompletableFuture<Long> firstNext = new CompletableFuture<>();
    private final CompletableFuture<Long> restoreNext = new CompletableFuture<>();
    private final List<Long> credentialRequests = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private RuntimeApi(String functionArn) {
        this.functionArn = functionArn;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the Runtime API port", e);
        }
        server.setExecutor(executor);
        server.createContext(RUNTIME, this::runtime);
        server.createContext(CREDENTIALS_PATH, this::credentials);
        server.start();
    }

    static RuntimeApi start(String functionArn) {
        return new RuntimeApi(functionArn);
    }

    /** host:port, the value of AWS_LAMBDA_RUNTIME_API. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    String credentialsUrl() {
        return "http://" + address() + CREDENTIALS_PATH;
    }

    /** Queues an invocation; the result completes when the runtime posts its response or error. */
    CompletableFuture<Report> invoke(String event, Duration timeout) {
        var invocation = new Invocation(UUID.randomUUID().toString(), event.getBytes(StandardCharsets.UTF_8),
                System.currentTimeMillis() + timeout.toMillis(), new CompletableFuture<>());
        queued.add(invocation);
        return invocation.result();
    }

    CompletableFuture<Report> initError() {
        return initError;
    }

    /** When the runtime first asked for an invocation: its init was over. */
    CompletableFuture<Long> firstNext() {
        return firstNext;
    }

    /** When a SnapStart runtime asked to be restored: its init and its beforeCheckpoint hooks were over. */
    CompletableFuture<Long> restoreNext() {
        return restoreNext;
    }

    List<Long> credentialRequests() {
        return List.copyOf(credentialRequests);
    }

    private void runtime(HttpExchange exchange) throws IOException {
        long now = System.nanoTime();
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(RUNTIME.length());
            String method = exchange.getRequestMethod();
            if (method.equals("GET") && path.equals("invocation/next")) {
                next(exchange, now);
            } else if (method.equals("POST") && path.startsWith("invocation/")) {
                String[] parts = path.split("/");
                Invocation invocation = parts.length == 3 ? running.remove(parts[1]) : null;
                if (invocation == null) {
                    reply(exchange, 400, "{\"errorType\":\"InvalidRequestID\"}");
                    return;
                }
                invocation.result().complete(report(exchange, now, parts[2].equals("error")));
                reply(exchange, 202, "{\"status\":\"OK\"}");
            } else if (method.equals("POST") && (path.equals("init/error") || path.equals("restore/error"))) {
                initError.complete(report(exchange, now, true));
                reply(exchange, 202, "{\"status\":\"OK\"}");
            } else if (method.equals("GET") && path.equals("restore/next")) {
                restoreNext.complete(now);
                reply(exchange, 200, "");
            } else {
                reply(exchange, 404, "{\"errorType\":\"UnknownRoute\",\"errorMessage\":\"" + method + " " + path + "\"}");
            }
        }
    }

    private void next(HttpExchange exchange, long now) throws IOException {
        firstNext.complete(now);
        Invocation invocation = null;
        try {
            while (invocation == null && !closed) {
                invocation = queued.poll(100, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (invocation == null) {
            return; // closing: the runtime's JVM is being stopped
        }
        running.put(invocation.requestId(), invocation);
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json");
        headers.set("Lambda-Runtime-Aws-Request-Id", invocation.requestId());
        headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(invocation.deadlineMs()));
        headers.set("Lambda-Runtime-Invoked-Function-Arn", functionArn);
        headers.set("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Sampled=0");
        exchange.sendResponseHeaders(200, invocation.event().length);
        exchange.getResponseBody().write(invocation.event());
    }

    private static Report report(HttpExchange exchange, long now, boolean error) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String type = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
        return new Report(now, error ? (type == null ? "Unknown" : type) : null, body);
    }

    /** Container credentials (AWS_CONTAINER_CREDENTIALS_FULL_URI); each request is recorded with its time. */
    private void credentials(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!CREDENTIALS_TOKEN.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                reply(exchange, 403, "{\"message\":\"wrong authorization token\"}");
                return;
            }
            credentialRequests.add(System.nanoTime());
            reply(exchange, 200, "{\"AccessKeyId\":\"ASIALAMBDAIT\",\"SecretAccessKey\":\"lambda-it\","
                    + "\"Token\":\"lambda-it\",\"Expiration\":\"2099-01-01T00:00:00Z\"}");
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        executor.shutdownNow();
    }
}
