package io.jobway.api;

import java.util.Map;

/**
 * The parts of an HTTP API request the routes use. {@code tenantId} is what the authorizer established;
 * header names are lowercase, as API Gateway delivers them.
 */
record ApiRequest(String routeKey, String path, String tenantId, Map<String, String> pathParameters,
                  Map<String, String> queryParameters, Map<String, String> headers, String body) {
    ApiRequest {
        pathParameters = pathParameters == null ? Map.of() : Map.copyOf(pathParameters);
        queryParameters = queryParameters == null ? Map.of() : Map.copyOf(queryParameters);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    String header(String lowercaseName) {
        return headers.get(lowercaseName);
    }
}
