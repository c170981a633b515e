package io.jobway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.json.Json;
import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;

/** A WebSocket listener that hands each job event (progress-only ones left out) over whole, with when it arrived. */
abstract class JobEvents implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    /** One status change; {@code arrivedAt} is this JVM's clock (epoch ms) when its last frame came. */
    abstract void onStatus(JsonNode event, long arrivedAt);

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        long now = System.currentTimeMillis();
        partial.append(data);
        webSocket.request(1);
        if (last) {
            JsonNode event = Json.parse(partial.toString());
            partial.setLength(0);
            if ("job".equals(event.path("type").asText()) && event.path("progress").isNull()) {
                onStatus(event, now);
            }
        }
        return null;
    }
}
