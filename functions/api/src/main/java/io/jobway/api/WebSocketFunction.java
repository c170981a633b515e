package io.jobway.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.auth.ApiKey;
import io.jobway.auth.ApiKeyStore;
import io.jobway.auth.ApiKeys;
import io.jobway.auth.BrowserTokens;
import io.jobway.auth.DynamoApiKeyStore;
import io.jobway.auth.SigningKeys;
import io.jobway.aws.Clients;
import io.jobway.aws.Config;
import io.jobway.aws.Priming;
import io.jobway.job.JobIds;
import io.jobway.job.Tags;
import io.jobway.json.Json;
import io.jobway.events.WebSocketEvent;
import io.jobway.events.WebSocketResponse;
import io.jobway.notify.ConnectionStore;
import io.jobway.obs.Log;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The WebSocket API's routes: {@code $connect} (the API key as the {@code token} query parameter, since
 * browsers cannot set headers), {@code $disconnect}, {@code subscribe} and {@code $default}. Like the HTTP API's
 * functions it reads the raw event itself ({@link WebSocketEvent}), so that Lambda's runtime never loads its event
 * serializer: a browser's first connect pays this function's cold start.
 */
public final class WebSocketFunction implements RequestStreamHandler {
    /** template.yaml's Timeout for this function; its AWS calls are fitted to it (TemplateRulesTest). */
    public static final Duration LAMBDA_TIMEOUT = Duration.ofSeconds(10);
    private final WebSocketRoutes routes;
    /** Held here because CRaC keeps resources weakly; null when built for tests. */
    final Priming priming;

    public WebSocketFunction() {
        this(Config.fromEnvironment(), Clients.create(Config.fromEnvironment(), LAMBDA_TIMEOUT));
    }

    public WebSocketFunction(Config config, Clients clients) {
        this(routes(config, clients), Priming.register("WebSocketFunction", clients, primed -> {
            // SnapStart priming: a subscribe message read; its connection lookup marshalled and not sent
            byte[] event = """
                    {"requestContext":{"routeKey":"subscribe","eventType":"MESSAGE","connectionId":"snapstart-priming"},
                     "body":"{\\"action\\":\\"subscribe\\",\\"tenant\\":true}","isBase64Encoded":false}"""
                    .getBytes(StandardCharsets.UTF_8);
            Priming.invoke(new WebSocketFunction(routes(config, primed)), event,
                    Priming.context("WebSocketFunction", LAMBDA_TIMEOUT));
        }));
    }

    WebSocketFunction(WebSocketRoutes routes) {
        this(routes, null);
    }

    private WebSocketFunction(WebSocketRoutes routes, Priming priming) {
        this.routes = routes;
        this.priming = priming;
    }

    private static WebSocketRoutes routes(Config config, Clients clients) {
        return new WebSocketRoutes(
                new DynamoApiKeyStore(clients.dynamo(), config.require(Config.API_KEYS_TABLE)),
                new BrowserTokens(SigningKeys.readFrom(clients.dynamo(), config.require(Config.SIGNING_KEYS_TABLE))),
                new ConnectionStore(clients.dynamo(), config.require(Config.CONNECTIONS_TABLE)),
                Clock.systemUTC());
    }

    /** Reads a WebSocket API event and writes the route's answer ({@code statusCode}, {@code body}). */
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        try (Log.Scope scope = Log.invocation(context)) {
            routes.handle(WebSocketEvent.read(input)).write(output);
        }
    }

    /** What the routes decide, apart from reading and writing the event (so tests read as the protocol). */
    static final class WebSocketRoutes {

        private final ApiKeyStore keys;
        private final BrowserTokens tokens;
        private final ConnectionStore connections;
        private final Clock clock;

        WebSocketRoutes(ApiKeyStore keys, BrowserTokens tokens, ConnectionStore connections, Clock clock) {
            this.keys = keys;
            this.tokens = tokens;
            this.connections = connections;
            this.clock = clock;
        }

        WebSocketResponse handle(WebSocketEvent event) {
            return switch (event.routeKey()) {
                case "$connect" -> connect(event.connectionId(), event.token());
                case "$disconnect" -> disconnect(event.connectionId());
                default -> message(event.connectionId(), event.body());
            };
        }

        WebSocketResponse connect(String connectionId, String token) {
            if (BrowserTokens.isToken(token)) {
                return connectWithBrowserToken(connectionId, token);
            }
            var key = token == null || token.isBlank() ? Optional.<ApiKey>empty()
                    : keys.findByHash(ApiKeys.hash(token)).filter(ApiKey::active);
            if (key.isEmpty()) {
                Log.warn("ws.connect-denied", "keyId", token == null ? "none" : ApiKeys.keyId(token));
                return new WebSocketResponse(401, "Unauthorized");
            }
            connections.connect(connectionId, key.get().tenantId(), clock.instant());
            Log.info("ws.connected", "connectionId", connectionId, "tenantId", key.get().tenantId());
            return new WebSocketResponse(200, null);
        }

        /** A browser token's connection may follow only the token's jobs or tag, and only while the token is valid. */
        private WebSocketResponse connectWithBrowserToken(String connectionId, String token) {
            Optional<BrowserTokens.Grant> grant;
            try {
                grant = tokens.verify(token, clock.instant());
            } catch (IllegalStateException e) {
                grant = Optional.empty(); // no secret made yet: no token can be good
            }
            if (grant.isEmpty()) {
                Log.warn("ws.connect-denied", "keyId", "browser-token");
                return new WebSocketResponse(401, "Unauthorized");
            }
            BrowserTokens.Grant g = grant.get();
            connections.connect(connectionId, new ConnectionStore.Connection(g.tenantId(),
                    g.tag() == null ? g.jobIds() : null, g.tag(), g.expiresAt()), clock.instant());
            Log.info("ws.connected", "connectionId", connectionId, "tenantId", grant.get().tenantId(),
                    "browserToken", true);
            return new WebSocketResponse(200, null);
        }

        WebSocketResponse disconnect(String connectionId) {
            connections.disconnect(connectionId);
            return new WebSocketResponse(200, null);
        }

        WebSocketResponse message(String connectionId, String body) {
            var connection = connections.connection(connectionId);
            if (connection.isEmpty()) {
                return new WebSocketResponse(200, error("this connection is not registered; reconnect"));
            }
            SubscribeRequest request;
            try {
                request = SubscribeRequest.parse(body);
            } catch (IllegalArgumentException e) {
                return new WebSocketResponse(200, error(e.getMessage()));
            }
            if (connection.get().expired(clock.instant())) {
                return new WebSocketResponse(200, error("this connection's browser token expired at "
                        + connection.get().until() + "; connect again with a new one"));
            }
            if (request.tag() != null) {
                return subscribeToTag(connectionId, connection.get(), request.tag());
            }
            if (!connection.get().mayFollow(request.jobId())) {
                String tag = connection.get().onlyTag();
                return new WebSocketResponse(200, error(tag != null
                        ? "this browser token follows only the jobs tagged '" + tag + "': subscribe with"
                        + " {\"action\":\"subscribe\",\"tag\":\"" + tag + "\"}"
                        : request.jobId() == null
                        ? "a browser token follows only the jobs it names: subscribe with their jobId"
                        : "this browser token does not name job " + request.jobId()));
            }
            connections.subscribe(connectionId, connection.get(), request.jobId(), clock.instant());
            var ack = Json.object().put("type", "subscribed");
            if (request.jobId() == null) {
                ack.put("tenant", true);
            } else {
                ack.put("jobId", request.jobId());
            }
            return new WebSocketResponse(200, Json.write(ack));
        }

        /** The jobs of the tenant carrying {@code tag}: for an API key's connection, or a token's of that tag. */
        private WebSocketResponse subscribeToTag(String connectionId, ConnectionStore.Connection connection,
                                                 String tag) {
            if (!connection.mayFollowTag(tag)) {
                return new WebSocketResponse(200, error(connection.onlyTag() != null
                        ? "this browser token follows only the jobs tagged '" + connection.onlyTag() + "', not '"
                        + tag + "'"
                        : "a browser token follows only the jobs it names: subscribe with their jobId"));
            }
            connections.subscribeToTag(connectionId, connection, tag, clock.instant());
            return new WebSocketResponse(200, Json.write(Json.object().put("type", "subscribed").put("tag", tag)));
        }

        private static String error(String message) {
            return Json.write(Json.object().put("type", "error").put("message", message));
        }
    }

    /**
     * {@code {"action":"subscribe","jobId":"…"}}, {@code {"action":"subscribe","tag":"…"}} or
     * {@code {"action":"subscribe","tenant":true}} (jobId and tag null).
     */
    record SubscribeRequest(String jobId, String tag) {
        static SubscribeRequest parse(String body) {
            JsonNode node;
            try {
                node = Json.parse(body == null ? "" : body);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("messages are JSON: {\"action\":\"subscribe\",\"jobId\":\"...\"},"
                        + " {\"action\":\"subscribe\",\"tag\":\"...\"} or {\"action\":\"subscribe\",\"tenant\":true}");
            }
            if (node == null || !node.isObject() || !"subscribe".equals(node.path("action").asText())) {
                throw new IllegalArgumentException("unknown action; send {\"action\":\"subscribe\",\"jobId\":\"...\"},"
                        + " {\"action\":\"subscribe\",\"tag\":\"...\"} or {\"action\":\"subscribe\",\"tenant\":true}");
            }
            if (node.path("tenant").asBoolean(false)) {
                return new SubscribeRequest(null, null);
            }
            if (node.has("tag")) {
                JsonNode tag = node.get("tag");
                if (!tag.isTextual() || !Tags.isValid(tag.asText())) {
                    throw new IllegalArgumentException("tag must be " + Tags.RULE);
                }
                return new SubscribeRequest(null, tag.asText());
            }
            String jobId = node.path("jobId").asText(null);
            if (!JobIds.isValid(jobId)) {
                throw new IllegalArgumentException("jobId must be a job id as the API returns it");
            }
            return new SubscribeRequest(jobId, null);
        }
    }
}
