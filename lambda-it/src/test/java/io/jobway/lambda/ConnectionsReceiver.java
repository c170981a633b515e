package io.jobway.lambda;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for a WebSocket stage's Management API: records each {@code POST /{stage}/@connections/{id}}
 * (what the notifier sends to a browser) and answers 200, as API Gateway does for a live connection.
 */
final class ConnectionsReceiver implements AutoCloseable {
    record Post(String connectionId, String data) {
    }

    private final HttpServer server;
    private final String stage;
    private final List<Post> posts = new CopyOnWriteArrayList<>();

    private ConnectionsReceiver(String stage) {
        this.stage = stage;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String prefix = "/" + stage + "/@connections/";
        server.createContext(prefix, exchange -> {
            try (exchange) {
                posts.add(new Post(exchange.getRequestURI().getPath().substring(prefix.length()),
                        new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
                exchange.sendResponseHeaders(200, -1);
            }
        });
        server.start();
    }

    static ConnectionsReceiver start(String stage) {
        return new ConnectionsReceiver(stage);
    }

    URI stageUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + stage);
    }

    List<Post> posts() {
        return List.copyOf(posts);
    }

    void clear() {
        posts.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
