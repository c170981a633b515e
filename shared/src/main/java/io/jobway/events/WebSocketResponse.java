package io.jobway.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobway.json.Json;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A WebSocket route's answer as API Gateway reads it: {@code statusCode} (a non-200 {@code $connect} refuses the
 * connection) and, for a route with a route response, the {@code body} sent back to the client.
 */
public record WebSocketResponse(int status, String body) {
    public void write(OutputStream out) throws IOException {
        ObjectNode response = Json.object().put("statusCode", status);
        if (body != null) {
            response.put("body", body);
        }
        out.write(Json.bytes(response)); // bytes: the runtime's stream is its own to close
    }
}
