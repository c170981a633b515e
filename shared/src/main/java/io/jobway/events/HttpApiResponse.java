package io.jobway.events;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** An HTTP API response (payload format 2.0): status, headers and a text body, written as API Gateway reads it. */
public record HttpApiResponse(int status, Map<String, String> headers, String body) {
    public static final String JSON = "application/json";
    public static final String PROBLEM_JSON = "application/problem+json";

    public static HttpApiResponse json(int status, JsonNode body) {
        return new HttpApiResponse(status, Map.of("content-type", JSON), Json.write(body));
    }

    public HttpApiResponse withHeader(String name, String value) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put(name, value);
        return new HttpApiResponse(status, all, body);
    }

    /** Writes the response as API Gateway reads it; no {@code body} when there is none. */
    public void write(OutputStream out) throws IOException {
        try (JsonGenerator json = Json.factory().createGenerator(out)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)) { // the runtime's stream is the runtime's to close
            json.writeStartObject();
            json.writeNumberField("statusCode", status);
            json.writeObjectFieldStart("headers");
            for (Map.Entry<String, String> header : headers.entrySet()) {
                json.writeStringField(header.getKey(), header.getValue());
            }
            json.writeEndObject();
            if (body != null) {
                json.writeStringField("body", body);
            }
            json.writeBooleanField("isBase64Encoded", false);
            json.writeEndObject();
        }
    }
}
