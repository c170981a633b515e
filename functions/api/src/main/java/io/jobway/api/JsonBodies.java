package io.jobway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.json.Json;

/** The JSON object a route's body must be, or the 400 that says what it is instead. */
final class JsonBodies {
    private JsonBodies() {
    }

    /** {@code body} as a JSON object; {@code example} shows the caller one in the 400. */
    static JsonNode object(String body, String example) {
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? null : Json.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiProblem.invalid("body", "is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw ApiProblem.invalid("body", "must be a JSON object such as " + example);
        }
        return root;
    }
}
