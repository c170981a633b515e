package io.jobway.local.http;

import io.jobway.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The web dashboard's static files (dashboard/, carried in the local module's jar), served at {@code /}, and its
 * {@code config.json}: the API on this same origin, and this runtime's WebSocket API. Deployed, the same files go
 * to any static host with a config.json naming the stack's ApiUrl and WebSocketUrl (docs/DEPLOY.md).
 */
final class DashboardSite {
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
            "json", "application/json", "svg", "image/svg+xml");

    private final String config;

    DashboardSite(URI webSocketUrl) {
        this.config = Json.write(Json.object().put("apiUrl", "")
                .put("webSocketUrl", webSocketUrl == null ? null : webSocketUrl.toString()));
    }

    /** The file at {@code path} ({@code /} is index.html), or empty when the dashboard has none there. */
    Optional<Response> get(String path) {
        String name = path.equals("/") ? "index.html" : path.substring(1);
        if (name.equals("config.json")) {
            return Optional.of(new Response(TYPES.get("json"), config));
        }
        String extension = name.substring(name.lastIndexOf('.') + 1);
        if (name.contains("..") || name.contains("//") || !TYPES.containsKey(extension)) {
            return Optional.empty();
        }
        try (InputStream in = DashboardSite.class.getResourceAsStream("/dashboard/" + name)) {
            return in == null ? Optional.empty()
                    : Optional.of(new Response(TYPES.get(extension), new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("the dashboard's " + name + " could not be read", e);
        }
    }

    record Response(String contentType, String body) {
    }
}
