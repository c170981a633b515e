package io.jobway.local.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.json.Json;
import io.jobway.local.lambda.LambdaEvents;
import io.jobway.local.lambda.LambdaEvents.HttpRequestParts;
import io.jobway.local.lambda.LocalFunction;
import io.jobway.obs.Log;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
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
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP API on loopback, behaving as API Gateway's HTTP API does for Jobway's routes: route matching, the
 * Lambda authorizer (simple responses, cached per identity for its TTL), CORS, payload v2 events built in
 * Lambda's shape and the function's response written back.
 *
 * <p>Served by Jetty 12 (the one DynamoDB Local brings): unlike the JDK's server, it lets the host answer a request
 * it cannot parse (a malformed {@code %} escape, a bad request line) as problem+json, through {@link
 * ProblemErrorHandler}. Each request runs on a virtual thread, since a request waits for its function, which may
 * wait for a free invocation slot; the pool's platform threads only select and accept.
 */
public final class HttpApiHost {
    private static final int MAX_BODY_BYTES = 10 * 1024 * 1024; // API Gateway's own limit
    /** Connections the kernel may hold for accept: above a load test's usual 256 clients opening at once. */
    private static final int BACKLOG = 1024;
    /** Platform threads for Jetty's selectors and acceptors; the requests themselves run on virtual threads. */
    private static final int IO_THREADS = 8;
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** API Gateway's quota on a request line and its headers together; over it, 414 (the URI) or 431. */
    private static final int MAX_HEAD_BYTES = 10_240;

    private static final Set<String> ANSWERED = ConcurrentHashMap.newKeySet();
    private static final Pattern CONNECTIONS_PATH = Pattern.compile(".*/@connections/([^/]+)");
    private static final Map<String, String> JSON = Map.of("content-type", "application/json");

    private List<HttpRoute> routes = List.of();
    private LocalFunction authorizer;
    private Duration authorizerTtl = Duration.ZERO;
    private Connections connections;
    private volatile DashboardSite dashboard;
    private final Map<String, LocalApp> apps = new ConcurrentHashMap<>();
    private final Map<String, CachedDecision> decisions = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Map<String, Object>>> authorizing = new ConcurrentHashMap<>();
    private final Server server;
    private final ServerConnector connector;
    /**
     * The Management API on a port of its own, as on AWS it is the WebSocket API's IAM-signed endpoint and no route
     * of the HTTP API: an API caller cannot post to, or close, another's connection.
     */
    private final Server management;
    private final ServerConnector managementConnector;

    private record CachedDecision(Map<String, Object> context, Instant until) {
    }

    /** One answer: its status, headers and body (null for none), and the route it answered for (null for none). */
    private record Answer(int status, Map<String, String> headers, String body, String routeKey) {
        static Answer json(int status, String message) {
            return new Answer(status, JSON, "{\"message\":\"" + message + "\"}", null);
        }

        Answer forRoute(String key) {
            return new Answer(status, headers, body, key);
        }
    }

    /** The WebSocket connections the Management API ({@code @connections}) reaches. */
    public interface Connections {
        boolean post(String connectionId, String data);

        boolean close(String connectionId);
    }

    /** Binds the port now, so the functions can be told the address before they are built. */
    public HttpApiHost(int port) throws IOException {
        this.server = server("http-api");
        this.connector = bind(server, port);
        server.setHandler(new GracefulHandler(handler(this::route)));
        this.management = server("http-api-management");
        this.managementConnector = bind(management, 0);
        management.setHandler(handler(this::manage));
    }

    private static Server server(String name) {
        var threads = new QueuedThreadPool(IO_THREADS, 2);
        threads.setName(name);
        threads.setDaemon(true);
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        var server = new Server(threads);
        server.setErrorHandler(new ProblemErrorHandler());
        return server;
    }

    private static ServerConnector bind(Server server, int port) throws IOException {
        var config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendDateHeader(true);
        config.setRequestHeaderSize(MAX_HEAD_BYTES);
        // API Gateway passes an encoded slash or dot segment to the function as it came (a path parameter may hold
        // one); Jetty's default would refuse them as ambiguous before any route is matched
        config.setUriCompliance(UriCompliance.UNSAFE);
        var connector = new ServerConnector(server, new HttpConnectionFactory(config));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setAcceptQueueSize(BACKLOG);
        connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        server.addConnector(connector);
        connector.open();
        return connector;
    }

    /** Runs {@code serve} for each request (blocking: Jetty gives it a virtual thread) and writes its answer. */
    private static Handler handler(java.util.function.Function<Request, Answer> serve) {
        return new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Answer answer;
                try {
                    answer = serve.apply(request);
                } catch (UncheckedIOException e) {
                    // the client went away mid-request: nobody is left to answer
                    Log.warn("local.http-io-failed", "error", e.getCause().toString());
                    callback.failed(e.getCause());
                    return true;
                } catch (RuntimeException e) {
                    // API Gateway's answer to a failure anywhere: its own 500, before the connection is closed
                    Log.error("local.http-failed", "error", e.toString());
                    answer = Answer.json(500, "Internal Server Error");
                }
                send(response, answer, callback);
                return true;
            }
        };
    }

    /** Starts serving the routes, the authorizer (null for none) and the WebSocket connections (null for none). */
    public void start(List<HttpRoute> routes, LocalFunction authorizer, Duration authorizerTtl,
                      Connections connections) {
        this.routes = List.copyOf(routes);
        this.authorizer = authorizer;
        this.authorizerTtl = authorizerTtl;
        this.connections = connections;
        try {
            server.start();
            management.start();
        } catch (Exception e) {
            throw new IllegalStateException("The local HTTP API could not start", e);
        }
    }

    /** Serves the web dashboard at {@code /}, its WebSocket API being {@code webSocketUrl}. */
    public void serveDashboard(URI webSocketUrl) {
        this.dashboard = new DashboardSite(webSocketUrl);
    }

    /** Serves {@code app} under {@code prefix} (such as {@code /examples/campaign/}), beside the API's routes. */
    public void serveApp(String prefix, LocalApp app) {
        if (!prefix.startsWith("/") || !prefix.endsWith("/") || prefix.startsWith("/v1/")) {
            throw new IllegalArgumentException("an app's prefix starts and ends with / and is not under /v1/: " + prefix);
        }
        apps.put(prefix, app);
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** The Management API's port ({@code POST|DELETE /<stage>/@connections/{id}}), for the notifier only. */
    public int managementPort() {
        return managementConnector.getLocalPort();
    }

    /** Stops accepting requests and lets requests in progress finish for up to {@code grace}. */
    public void stop(Duration grace) {
        server.setStopTimeout(Math.max(1, grace.toMillis()));
        try {
            server.stop();
        } catch (Exception e) {
            Log.warn("local.http-stop-failed", "error", e.toString());
        }
        try {
            management.stop();
        } catch (Exception e) {
            Log.warn("local.http-stop-failed", "error", e.toString());
        }
    }

    private Answer manage(Request request) {
        Matcher connection = CONNECTIONS_PATH.matcher(request.getHttpURI().getPath());
        if (connections == null || !connection.matches()) {
            return Answer.json(404, "Not Found");
        }
        return manageConnection(request, request.getMethod().toUpperCase(Locale.ROOT),
                URLDecoder.decode(connection.group(1), StandardCharsets.UTF_8));
    }

    private Answer route(Request request) {
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        String path = request.getHttpURI().getPath();
        Map<String, String> headers = headers(request);
        if (method.equals("OPTIONS") && headers.containsKey("access-control-request-method")) {
            return preflight();
        }
        Optional<Map.Entry<HttpRoute, Map<String, String>>> matched = routes.stream()
                .flatMap(r -> r.match(method, path).map(p -> Map.entry(r, p)).stream()).findFirst();
        String routeKey = matched.map(m -> m.getKey().routeKey()).orElse(null);
        byte[] raw = readBody(request);
        if (raw == null) {
            return Answer.json(413, "Request Entity Too Large").forRoute(routeKey);
        }
        if (matched.isEmpty() && !path.startsWith("/v1/")) {
            Optional<LocalApp.Answer> page = page(method, path, headers, raw);
            if (page.isPresent()) {
                return new Answer(page.get().status(), Map.of("content-type", page.get().contentType(),
                        "cache-control", "no-cache"), page.get().body(), null);
            }
        }
        if (matched.isEmpty()) {
            SortedSet<String> allowed = allowedMethods(path);
            // HEAD included: a HEAD answer has no body, and its headers still say what is wrong
            return allowed.isEmpty() ? Answer.json(404, "Not Found") : methodNotAllowed(path, method, allowed);
        }
        HttpRoute route = matched.get().getKey();
        String text = utf8(raw);
        String query = request.getHttpURI().getQuery();
        HttpRequestParts parts = new HttpRequestParts(method, path, query, route.routeKey(),
                headers.getOrDefault("host", "127.0.0.1"), Request.getRemoteAddr(request), headers, query(query),
                matched.get().getValue(),
                raw.length == 0 ? null : text != null ? text : Base64.getEncoder().encodeToString(raw), text == null);
        Map<String, Object> authorizerContext = null;
        if (route.authorized() && authorizer != null) {
            String identity = headers.get("authorization");
            if (identity == null || identity.isBlank()) {
                return Answer.json(401, "Unauthorized").forRoute(routeKey);
            }
            authorizerContext = authorize(parts, identity);
            if (authorizerContext == null) {
                return Answer.json(403, "Forbidden").forRoute(routeKey);
            }
        }
        return invoke(route, parts, authorizerContext).forRoute(routeKey);
    }

    /** What an app answers under its prefix, else the dashboard's file for a GET. */
    private Optional<LocalApp.Answer> page(String method, String path, Map<String, String> headers, byte[] raw) {
        for (Map.Entry<String, LocalApp> app : apps.entrySet()) {
            if (path.startsWith(app.getKey())) {
                return app.getValue().handle(new LocalApp.Request(method, path.substring(app.getKey().length()),
                        headers, new String(raw, StandardCharsets.UTF_8)));
            }
        }
        return method.equals("GET") && dashboard != null ? dashboard.get(path) : Optional.empty();
    }

    private static Answer methodNotAllowed(String path, String method, SortedSet<String> allowed) {
        String allow = String.join(", ", allowed);
        return new Answer(405, Map.of("content-type", "application/problem+json", "allow", allow),
                Json.write(Json.object().put("type", "urn:jobway:problem:method-not-allowed")
                        .put("title", "Method Not Allowed").put("status", 405)
                        .put("detail", path + " takes " + allow + ", not " + method)), null);
    }

    private Answer invoke(HttpRoute route, HttpRequestParts parts, Map<String, Object> authorizerContext) {
        String answer;
        try {
            answer = route.function().invokeOrThrottle(LambdaEvents.httpApi(parts, authorizerContext));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to invoke " + route.function().name(), e);
        } catch (LocalFunction.Throttled e) {
            return new Answer(429, Map.of("content-type", "application/json", "retry-after", "1"),
                    "{\"message\":\"Too Many Requests\"}", null);
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
        return new Answer(status, headers, body, null);
    }

    /** The Management API: POST sends to a connection, DELETE closes it; a gone one is 410 GoneException. */
    private Answer manageConnection(Request request, String method, String connectionId) {
        byte[] data = readBody(request);
        boolean found = switch (method) {
            case "POST" -> connections.post(connectionId, new String(data == null ? new byte[0] : data,
                    StandardCharsets.UTF_8));
            case "DELETE" -> connections.close(connectionId);
            default -> false;
        };
        if (found) {
            return new Answer(method.equals("POST") ? 200 : 204, Map.of(), null, null);
        }
        return new Answer(410, Map.of("content-type", "application/json", "x-amzn-ErrorType", "GoneException"),
                "{\"message\":\"Gone\"}", null);
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

    private static Answer preflight() {
        Map<String, String> headers = Map.of(
                "access-control-allow-origin", "*",
                "access-control-allow-methods", "GET,POST,OPTIONS",
                "access-control-allow-headers", "authorization,content-type,idempotency-key",
                "access-control-max-age", "600");
        return new Answer(204, headers, null, null);
    }

    /** Header names in lower case, as API Gateway passes them; a repeated header's values joined with commas. */
    private static Map<String, String> headers(Request request) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (HttpField field : request.getHeaders()) {
            headers.merge(field.getLowerCaseName(), field.getValue(), (a, b) -> a + "," + b);
        }
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
    private SortedSet<String> allowedMethods(String path) {
        SortedSet<String> methods = new TreeSet<>();
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

    /** The body, or null when it is over API Gateway's 10 MiB. */
    private static byte[] readBody(Request request) {
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            return body.length > MAX_BODY_BYTES ? null : body;
        } catch (IOException e) {
            throw new UncheckedIOException("the request's body could not be read", e);
        }
    }

    /**
     * Every route and status the local HTTP hosts of this JVM have answered ({@code "POST /v1/jobs 202"}): the
     * contract tests hold docs/openapi.yaml to it, a documented status that no test produced being a gap.
     */
    public static Set<String> answered() {
        return Set.copyOf(ANSWERED);
    }

    private static void send(Response response, Answer answer, Callback callback) {
        if (answer.routeKey() != null) {
            ANSWERED.add(answer.routeKey() + " " + answer.status());
        }
        response.setStatus(answer.status());
        answer.headers().forEach((name, value) -> response.getHeaders().put(name, value));
        byte[] bytes = answer.body() == null ? new byte[0] : answer.body().getBytes(StandardCharsets.UTF_8);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }
}
