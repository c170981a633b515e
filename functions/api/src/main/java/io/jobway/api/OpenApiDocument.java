package io.jobway.api;

import io.jobway.events.HttpApiResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** {@code GET /v1/openapi.yaml}: docs/openapi.yaml, the API's contract, as the build put it in this jar. */
final class OpenApiDocument {
    private static volatile String text;

    private OpenApiDocument() {
    }

    static HttpApiResponse response() {
        return new HttpApiResponse(200, Map.of("content-type", "application/yaml; charset=utf-8",
                "cache-control", "public, max-age=300"), text());
    }

    /** Read on first request, not at start: no cold start pays for it. */
    static String text() {
        String known = text;
        if (known == null) {
            try (InputStream in = OpenApiDocument.class.getResourceAsStream("openapi.yaml")) {
                if (in == null) {
                    throw new IllegalStateException("openapi.yaml is not in this build of the API function");
                }
                known = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                text = known;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return known;
    }
}
