package io.jobway.local.http;

import io.jobway.json.Json;
import java.net.URI;
import java.util.Optional;

/**
 * The web dashboard's static files (dashboard/, carried in the local module's jar), served at {@code /}, and its
 * {@code config.json}: the API on this same origin, and this runtime's WebSocket API. Deployed, the same files go
 * to any static host with a config.json naming the stack's ApiUrl and WebSocketUrl (docs/DEPLOY.md).
 */
final class DashboardSite {
    private final StaticFiles files = new StaticFiles("dashboard");
    private final String config;

    DashboardSite(URI webSocketUrl) {
        // the figures are the runtime's own memory here, free to read every 5 s (on AWS each read costs)
        this.config = Json.write(Json.object().put("apiUrl", "")
                .put("webSocketUrl", webSocketUrl == null ? null : webSocketUrl.toString())
                .put("statsEverySeconds", 5));
    }

    /** The file at {@code path} ({@code /} is index.html), or empty when the dashboard has none there. */
    Optional<LocalApp.Answer> get(String path) {
        String name = path.substring(1);
        return name.equals("config.json") ? Optional.of(new LocalApp.Answer(200, "application/json", config))
                : files.get(name);
    }
}
