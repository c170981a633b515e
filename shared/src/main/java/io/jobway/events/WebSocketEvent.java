package io.jobway.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.json.Json;
import java.io.IOException;
import java.io.InputStream;

/**
 * The fields of a WebSocket API event that the routes use: the route, the connection, the {@code token} query
 * parameter of a {@code $connect} (browsers cannot set headers on a WebSocket) and a message's body.
 */
public record WebSocketEvent(String routeKey, String connectionId, String token, String body) {
    /** Reads an event as API Gateway sends it; an event of another shape is refused, naming what is missing. */
    public static WebSocketEvent read(InputStream input) throws IOException {
        JsonNode event = Json.readObject(input, "a WebSocket API event");
        JsonNode request = event.path("requestContext");
        String routeKey = request.path("routeKey").asText(null);
        String connectionId = request.path("connectionId").asText(null);
        if (routeKey == null || connectionId == null) {
            throw new IllegalArgumentException("not a WebSocket API event: requestContext has no "
                    + (routeKey == null ? "routeKey" : "connectionId"));
        }
        return new WebSocketEvent(routeKey, connectionId,
                event.path("queryStringParameters").path("token").asText(null), HttpApiRequest.body(event));
    }
}
