package io.jobway.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** An HTTP API Lambda authorizer's REQUEST event (payload format 2.0): the request's headers, all it reads. */
public record AuthorizerRequest(Map<String, String> headers) {
    public AuthorizerRequest {
        headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** Reads the event; anything but a JSON object is refused. */
    public static AuthorizerRequest read(InputStream event) throws IOException {
        JsonNode root = Json.readObject(event, "an HTTP API authorizer event");
        return new AuthorizerRequest(Json.strings(root.get("headers")));
    }

    /** The key of {@code Authorization: Bearer <key>}; header name and scheme in any case. */
    public Optional<String> bearerToken() {
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String value = header.getValue();
            if (header.getKey().toLowerCase(Locale.ROOT).equals("authorization") && value != null
                    && value.regionMatches(true, 0, "Bearer ", 0, 7) && !value.substring(7).isBlank()) {
                return Optional.of(value.substring(7).trim());
            }
        }
        return Optional.empty();
    }
}
