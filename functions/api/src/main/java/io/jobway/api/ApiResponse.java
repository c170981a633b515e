package io.jobway.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** A response before it becomes API Gateway's shape. */
record ApiResponse(int status, Map<String, String> headers, String body) {
    static final String JSON = "application/json";
    static final String PROBLEM_JSON = "application/problem+json";

    static ApiResponse json(int status, JsonNode body) {
        return new ApiResponse(status, Map.of("content-type", JSON), Json.write(body));
    }

    ApiResponse withHeader(String name, String value) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put(name, value);
        return new ApiResponse(status, all, body);
    }

    static ApiResponse problem(ApiProblem problem, String instance) {
        Map<String, String> all = new LinkedHashMap<>(problem.headers());
        all.put("content-type", PROBLEM_JSON);
        return new ApiResponse(problem.status(), all, problem.toJson(instance));
    }
}
