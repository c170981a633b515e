package io.jobway.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * API Gateway's HTTP API payload format 2.0, read and written with the function's own Jackson. The function takes
 * the raw event stream so that Lambda's runtime never loads its own event serializer (its shaded Jackson, some 700
 * classes, about a third of a second of a cold start); this class reads only the fields the routes use.
 */
final class HttpApiPayload {
    private HttpApiPayload() {
    }

    /** The request an HTTP API event carries; an event of another shape is refused, naming what is missing. */
    static ApiRequest read(InputStream event) throws IOException {
        JsonNode root = Json.readObject(event, "an HTTP API event");
        String routeKey = Json.text(root, "routeKey");
        String rawPath = Json.text(root, "rawPath");
        if (routeKey == null || rawPath == null) {
            throw new IllegalArgumentException("not an HTTP API payload 2.0 event: it has no "
                    + (routeKey == null ? "routeKey" : "rawPath"));
        }
        Map<String, String> headers = new HashMap<>();
        Json.strings(root.get("headers")).forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), value));
        String tenantId = Json.text(root.path("requestContext").path("authorizer").path("lambda"),
                AuthorizerFunction.TENANT_ID);
        return new ApiRequest(routeKey, rawPath, tenantId, Json.strings(root.get("pathParameters")),
                Json.strings(root.get("queryStringParameters")), headers, body(root));
    }

    /** An API Gateway event's body (HTTP or WebSocket), decoded when it came base64-encoded; null if none. */
    static String body(JsonNode event) {
        String body = Json.text(event, "body");
        if (body != null && event.path("isBase64Encoded").asBoolean(false)) {
            return new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
        }
        return body;
    }

    /** The response as API Gateway reads it: status, headers and a text body. */
    static void write(ApiResponse response, OutputStream out) throws IOException {
        try (JsonGenerator json = Json.factory().createGenerator(out)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)) { // the runtime's stream is the runtime's to close
            json.writeStartObject();
            json.writeNumberField("statusCode", response.status());
            json.writeObjectFieldStart("headers");
            for (Map.Entry<String, String> header : response.headers().entrySet()) {
                json.writeStringField(header.getKey(), header.getValue());
            }
            json.writeEndObject();
            if (response.body() != null) {
                json.writeStringField("body", response.body());
            }
            json.writeBooleanField("isBase64Encoded", false);
            json.writeEndObject();
        }
    }
}
