package io.jobway.local.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.json.Json;
import io.jobway.local.lambda.LambdaEvents;
import io.jobway.local.lambda.LocalFunction;
import io.jobway.obs.Log;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.WebSocketServer;

/**
 * The WebSocket API on loopback, as API Gateway runs it: {@code $connect} is invoked during the handshake and
 * a non-200 answer refuses the connection; a message is routed by the selection field of its JSON body (else
 * {@code $default}); a two-way route's answer is sent back; {@code $disconnect} follows a close. Functions
 * push to connections through {@link #post} (the Management API's {@code @connections}).
 */
public final class WebSocketApiHost {
    private final WebSocketApiSpec spec;
    private final Map<String, LocalFunction> functions;
    private final Map<String, WebSocket> open = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final CountDownLatch started = new CountDownLatch(1);
    private final Server server;

    private record Connection(String id, long connectedAt) {
    }

    public WebSocketApiHost(int port, WebSocketApiSpec spec, Map<String, LocalFunction> functionsByLogicalId) {
        this.spec = spec;
        this.functions = functionsByLogicalId;
        this.server = new Server(new InetSocketAddress("127.0.0.1", port));
        server.setReuseAddr(true);
        server.setDaemon(true);
    }

    public void start() throws InterruptedException {
        server.start();
        if (!started.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the WebSocket API did not start on port " + server.getAddress().getPort());
        }
    }

    public int port() {
        return server.getPort();
    }

    public URI url() {
        return URI.create("ws://127.0.0.1:" + port() + "/" + spec.stageName());
    }

    /** Sends data to a connection; false when it is gone (the Management API answers 410). */
    public boolean post(String connectionId, String data) {
        WebSocket socket = open.get(connectionId);
        if (socket == null || !socket.isOpen()) {
            return false;
        }
        socket.send(data);
        return true;
    }

    /** Closes a connection, as the Management API's DELETE does; false when it is gone. */
    public boolean close(String connectionId) {
        WebSocket socket = open.get(connectionId);
        if (socket == null) {
            return false;
        }
        socket.close(CloseFrame.NORMAL, "closed by the server");
        return true;
    }

    public void stop() {
        try {
            server.stop(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A route function's answer: statusCode (none counts as 200, as in the local HTTP API) and body. */
    private record RouteAnswer(int statusCode, String body) {
        static RouteAnswer of(JsonNode json) {
            JsonNode body = json.path("body");
            return new RouteAnswer(json.path("statusCode").asInt(200), body.isNull() || body.isMissingNode() ? null
                    : body.isTextual() ? body.asText() : Json.write(body));
        }
    }

    private RouteAnswer invoke(String routeKey, String eventType, Connection connection,
                               Map<String, String> headers, Map<String, String> query, String body) {
        WebSocketApiSpec.Route route = spec.routes().get(routeKey);
        if (route == null) {
            return null;
        }
        return RouteAnswer.of(Json.parse(functions.get(route.functionLogicalId()).invokeForJson(LambdaEvents.webSocket(
                routeKey, eventType, connection.id(), spec.stageName(), headers, query, body, connection.connectedAt()))));
    }

    private String routeFor(String message) {
        try {
            JsonNode field = Json.parse(message).get(spec.selectionField());
            if (field != null && field.isTextual() && spec.routes().containsKey(field.asText())) {
                return field.asText();
            }
        } catch (RuntimeException notJson) {
            // a message that is not JSON goes to $default, as in API Gateway
        }
        return "$default";
    }

    private String newConnectionId() {
        byte[] bytes = new byte[9];
        random.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static Map<String, String> query(String resourceDescriptor) {
        Map<String, String> params = new HashMap<>();
        String raw = URI.create(resourceDescriptor).getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return params;
    }

    private final class Server extends WebSocketServer {
        Server(InetSocketAddress address) {
            super(address);
        }

        @Override
        public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket socket, Draft draft,
                                                                           ClientHandshake request)
                throws InvalidDataException {
            ServerHandshakeBuilder answer = super.onWebsocketHandshakeReceivedAsServer(socket, draft, request);
            Connection connection = new Connection(newConnectionId(), System.currentTimeMillis());
            Map<String, String> headers = new HashMap<>();
            for (Iterator<String> names = request.iterateHttpFields(); names.hasNext(); ) {
                String name = names.next();
                headers.put(name.toLowerCase(java.util.Locale.ROOT), request.getFieldValue(name));
            }
            RouteAnswer response;
            try {
                response = invoke("$connect", "CONNECT", connection, headers, query(request.getResourceDescriptor()), null);
            } catch (RuntimeException e) {
                Log.error("local.ws-connect-failed", "error", e.toString());
                throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "connect failed");
            }
            if (response != null && response.statusCode() != 200) {
                throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "connection refused: "
                        + response.statusCode());
            }
            socket.setAttachment(connection);
            open.put(connection.id(), socket);
            return answer;
        }

        @Override
        public void onOpen(WebSocket socket, ClientHandshake handshake) {
            // registered during the handshake, once $connect allowed it
        }

        @Override
        public void onMessage(WebSocket socket, String message) {
            Connection connection = socket.getAttachment();
            String routeKey = routeFor(message);
            try {
                RouteAnswer response = invoke(routeKey, "MESSAGE", connection, null, null, message);
                WebSocketApiSpec.Route route = spec.routes().get(routeKey);
                if (response != null && route != null && route.twoWay() && response.body() != null) {
                    socket.send(response.body());
                }
            } catch (RuntimeException e) {
                Log.error("local.ws-message-failed", "route", routeKey, "error", e.toString());
                socket.send("{\"message\": \"Internal server error\"}");
            }
        }

        @Override
        public void onMessage(WebSocket socket, ByteBuffer message) {
            onMessage(socket, StandardCharsets.UTF_8.decode(message).toString());
        }

        @Override
        public void onClose(WebSocket socket, int code, String reason, boolean remote) {
            Connection connection = socket.getAttachment();
            if (connection != null && open.remove(connection.id()) != null) {
                try {
                    invoke("$disconnect", "DISCONNECT", connection, null, null, null);
                } catch (RuntimeException e) {
                    Log.warn("local.ws-disconnect-failed", "error", e.toString());
                }
            }
        }

        @Override
        public void onError(WebSocket socket, Exception e) {
            Log.warn("local.ws-error", "error", e.toString());
        }

        @Override
        public void onStart() {
            started.countDown();
        }
    }
}
