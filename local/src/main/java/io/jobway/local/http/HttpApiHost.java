package io.jobway.local.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jobway.json.Json;
import io.jobway.local.lambda.LambdaEvents;
import io.jobway.local.lambda.LambdaEvents.HttpRequestParts;
import io.jobway.local.lambda.LocalFunction;
import io.jobway.obs.Log;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP API on loopback, behaving as API Gateway's HTTP API does for Jobway's routes: route matching, the
 * Lambda authorizer (simple responses, cached per identity for its TTL), CORS, payload v2 events built in
 * Lambda's shape and the function's response written back.
 */
public final class HttpApiHost {
    private static final int MAX_BODY_BYTES = 10 * 1024 * 1024; // API Gateway's own limit
    /** Connections the kernel may hold for accept: above a load test's usual 256 clients opening at once. */
    private static final int BACKLOG = 1024;
    private static final String MAX_IDLE_CONNECTIONS = "sun.net.httpserver.maxIdleConnections";

    private static final String ROUTE_KEY = "jobway.routeKey";
    private static final Set<String> ANSWERED = ConcurrentHashMap.newKeySet();
    private static final Pattern CONNECTIONS_PATH = Pattern.compile(".*/@connections/([^/]+)");

    private List<HttpRoute> routes = List.of();
    private LocalFunction authorizer;
    private Duration authorizerTtl = Duration.ZERO;
    private Connections connections;
    private final Map<String, CachedDecision> decisions = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Map<String, Object>>> authorizing = new ConcurrentHashMap<>();
    private final HttpServer server;
    /**
     * The Management API on a port of its own, as on AWS it is the WebSocket API's IAM-signed endpoint and no route
     * of the HTTP API: an API caller cannot post to, or close, another's connection.
     */
    private final HttpServer management;

    private record CachedDecision(Map<String, Object> context, Instant until) {
    }

    /** The WebSocket connections the Management API ({@code @connections}) reaches. */
    public interface Connections {
        boolean post(String connectionId, String data);

        boolean close(String connectionId);
    }

    static {
        // The JDK's server closes a connection that goes idle while 200 others are idle (its default), and a client
        // that picked it for its next request that instant gets no answer at all: seen as requests without a
        // response under a 256-connection load. It reads the setting once, when the first server starts.
        if (System.getProperty(MAX_IDLE_CONNECTIONS) == null) {
            System.setProperty(MAX_IDLE_CONNECTIONS, "4096");
        }
    }

    /** Binds the port now, so the functions can be told the address before they are built. */
    public HttpApiHost(int port) throws IOException {
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), BACKLOG);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::serve);
        this.management = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), BACKLOG);
        management.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        management.createContext("/", this::serveManagement);
    }

    /** Starts serving the routes, the authorizer (null for none) and the WebSocket connections (null for none). */
    public void start(List<HttpRoute> routes, LocalFunction authorizer, Duration authorizerTtl,
                      Connections connections) {
        this.routes = List.copyOf(routes);
        this.authorizer = authorizer;
        this.authorizerTtl = authorizerTtl;
        this.connections = connections;
        server.start();
        management.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The Management API's port ({@code POST|DELETE /<stage>/@connections/{id}}), for the notifier only. */
    public int managementPort() {
        return management.getAddress().getPort();
    }

    /** Stops accepting requests and lets requests in progress finish for up to {@code grace}. */
    public void stop(Duration grace) {
        server.stop((int) Math.max(1, grace.toSeconds()));
        management.stop(0);
    }

    private void serveManagement(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher connection = CONNECTIONS_PATH.matcher(exchange.getRequestURI().getRawPath());
            if (connections == null || !connection.matches()) {
                send(exchange, 404, Map.of("content-type", "application/json"), "{\"message\":\"Not Found\"}");
                return;
            }
            manageConnection(exchange, exchange.getRequestMethod().toUpperCase(Locale.ROOT),
                    URLDecoder.decode(connection.group(1), StandardCharsets.UTF_8));
        }
    }

    /** Answers one request; a failure anywhere is API Gateway's 500, sent before the exchange is closed. */
    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                route(exchange);
            } catch (IOException e) {
                Log.warn("local.http-io-failed", "error", e.toString());
                throw e;
            } catch (RuntimeException e) {
                Log.error("local.http-failed", "error", e.toString());
                if (exchange.getResponseCode() == -1) { // nothing sent yet
                    send(exchange, 500, Map.of("content-type", "application/json"),
                            "{\"message\":\"Internal Server Error\"}");
                }
            }
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        String path = exchange.getRequestURI().getRawPath();
        Map<String, String> headers = headers(exchange);
        if (method.equals("OPTIONS") && headers.containsKey("access-control-request-method")) {
            preflight(exchange);
            return;
        }
        Optional<Map.Entry<HttpRoute, Map<String, String>>> matched = routes.stream()
                .flatMap(r -> r.match(method, path).map(p -> Map.entry(r, p)).stream()).findFirst();
        matched.ifPresent(m -> exchange.setAttribute(ROUTE_KEY, m.getKey().routeKey()));
        byte[] raw = readBody(exchange);
        if (raw == null) {
            send(exchange, 413, Map.of("content-type", "application/json"), "{\"message\":\"Request Entity Too Large\"}");
            return;
        }
        if (matched.isEmpty() && !allowedMethods(path).isEmpty()) {
            String allowed = String.join(", ", allowedMethods(path));
            // HEAD included: a HEAD answer has no body, and its headers still say what is wrong
            send(exchange, 405, Map.of("content-type", "application/problem+json", "allow", allowed),
                    Json.write(Json.object().put("type", "urn:jobway:problem:method-not-allowed")
                            .put("title", "Method Not Allowed").put("status", 405)
                            .put("detail", path + " takes " + allowed + ", not " + method)));
            return;
        }
        if (matched.isEmpty()) {
            send(exchange, 404, Map.of("content-type", "application/json"), "{\"message\":\"Not Found\"}");
            return;
        }
        HttpRoute route = matched.get().getKey();
        String text = utf8(raw);
        HttpRequestParts parts = new HttpRequestParts(method, path, exchange.getRequestURI().getRawQuery(),
                route.routeKey(), headers.getOrDefault("host", "127.0.0.1"),
                exchange.getRemoteAddress().getAddress().getHostAddress(), headers,
                query(exchange.getRequestURI().getRawQuery()), matched.get().getValue(),
                raw.length == 0 ? null : text != null ? text : Base64.getEncoder().encodeToString(raw), text == null);
        Map<String, Object> authorizerContext = null;
        if (route.authorized() && authorizer != null) {
            String identity = headers.get("authorization");
            if (identity == null || identity.isBlank()) {
                send(exchange, 401, Map.of("content-type", "application/json"), "{\"message\":\"Unauthorized\"}");
                return;
            }
            authorizerContext = authorize(parts, identity);
            if (authorizerContext == null) {
                send(exchange, 403, Map.of("content-type", "application/json"), "{\"message\":\"Forbidden\"}");
                return;
            }
        }
        invoke(exchange, route, parts, authorizerContext);
    }

    private void invoke(HttpExchange exchange, HttpRoute route, HttpRequestParts parts,
                        Map<String, Object> authorizerContext) throws IOException {
        String answer;
        try {
            answer = route.function().invokeOrThrottle(LambdaEvents.httpApi(parts, authorizerContext));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to invoke " + route.function().name(), e);
        } catch (LocalFunction.Throttled e) {
            send(exchange, 429, Map.of("content-type", "application/json", "retry-after", "1"),
                    "{\"message\":\"Too Many Requests\"}");
            return;
        }
        JsonNode response = Json.parse(answer);
        Map<String, String> headers = new LinkedHashMap<>();
        int status = 200;
        String body;
        if (response.isObject() && response.has("statusCode")) {
            status = response.get("statusCode").asInt();
            response.path("headers").properties().forEach(h -> headers.put(h.getKey(), h.getValue().asText()));
            body = response.hasNonNull("body") ? response.get("body").asText() : null;
            if (body != null && response.path("isBase64Encoded").asBoolean(false)) {
                body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
            }
        } else {
            // payload 2.0: an answer without a statusCode is the body of a 200 JSON response
            headers.put("content-type", "application/json");
            body = Json.write(response);
        }
        if (parts.headers().containsKey("origin")) {
            headers.put("access-control-allow-origin", "*");
            headers.put("access-control-expose-headers", "location,idempotent-replayed");
        }
        send(exchange, status, headers, body);
    }

    /** The Management API: POST sends to a connection, DELETE closes it; a gone one is 410 GoneException. */
    private void manageConnection(HttpExchange exchange, String method, String connectionId) throws IOException {
        byte[] data = readBody(exchange);
        boolean found = switch (method) {
            case "POST" -> connections.post(connectionId, new String(data == null ? new byte[0] : data,
                    StandardCharsets.UTF_8));
            case "DELETE" -> connections.close(connectionId);
            default -> false;
        };
        if (found) {
            send(exchange, method.equals("POST") ? 200 : 204, Map.of(), null);
        } else {
            send(exchange, 410, Map.of("content-type", "application/json", "x-amzn-ErrorType", "GoneException"),
                    "{\"message\":\"Gone\"}");
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> authorize(HttpRequestParts parts, String identity) {
        CachedDecision cached = decisions.get(identity);
        if (cached != null && Instant.now().isBefore(cached.until())) {
            return cached.context();
        }
        // requests that miss the cache together wait for one authorizer call: a load's first second would
        // otherwise invoke it once per connection, all for the same key
        CompletableFuture<Map<String, Object>> mine = new CompletableFuture<>();
        CompletableFuture<Map<String, Object>> running = authorizing.putIfAbsent(identity, mine);
        if (running != null) {
            return running.join();
        }
        try {
            Map<String, Object> answer = Json.mapper().convertValue(
                    Json.parse(authorizer.invokeForJson(LambdaEvents.authorizer(parts, List.of(identity)))), Map.class);
            boolean allowed = Boolean.TRUE.equals(answer.get("isAuthorized"));
            Map<String, Object> context = allowed ? (Map<String, Object>) answer.getOrDefault("context", Map.of())
                    : null;
            if (allowed) {
                decisions.put(identity, new CachedDecision(context, Instant.now().plus(authorizerTtl)));
            }
            mine.complete(context);
            return context;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            authorizing.remove(identity, mine);
        }
    }

    private static void preflight(HttpExchange exchange) throws IOException {
        Map<String, String> headers = Map.of(
                "access-control-allow-origin", "*",
                "access-control-allow-methods", "GET,POST,OPTIONS",
                "access-control-allow-headers", "authorization,content-type,idempotency-key",
                "access-control-max-age", "600");
        send(exchange, 204, headers, null);
    }

    private static Map<String, String> headers(HttpExchange exchange) {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        return headers;
    }

    /** Query parameters as API Gateway gives them: decoded, repeated names joined with commas. */
    private static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.merge(name, value, (a, b) -> a + "," + b);
        }
        return params;
    }

    /** A malformed escape stays as it came, for the function to refuse with a clear message. */
    private static String decode(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }

    /** The methods of the routes whose template matches {@code path}, sorted; empty when none does. */
    private java.util.SortedSet<String> allowedMethods(String path) {
        java.util.SortedSet<String> methods = new java.util.TreeSet<>();
        routes.forEach(r -> r.match(r.method(), path).ifPresent(p -> methods.add(r.method())));
        return methods;
    }

    /**
     * The body as text, or null when it is not UTF-8: API Gateway then passes it base64-encoded, as it does binary
     * bodies, and the function says what is wrong with it instead of reading replacement characters.
     */
    private static String utf8(byte[] raw) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            return body.length > MAX_BODY_BYTES ? null : body;
        }
    }

    /**
     * Every route and status the local HTTP hosts of this JVM have answered ({@code "POST /v1/jobs 202"}): the
     * contract tests hold docs/openapi.yaml to it, a documented status that no test produced being a gap.
     */
    public static Set<String> answered() {
        return Set.copyOf(ANSWERED);
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers, String body)
            throws IOException {
        Object routeKey = exchange.getAttribute(ROUTE_KEY);
        if (routeKey != null) {
            ANSWERED.add(routeKey + " " + status);
        }
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
