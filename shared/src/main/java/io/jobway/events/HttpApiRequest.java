package io.jobway.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.auth.BrowserTokens;
import io.jobway.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The parts of an API Gateway HTTP API request (payload format 2.0) the routes use, read from the event's bytes.
 * {@code tenantId} and {@code scopes} are what the Lambda authorizer established ({@link AuthorizerResponse#TENANT_ID}
 * and {@link AuthorizerResponse#SCOPES} in its context; {@code grant} too when the caller holds a browser token);
 * header names are lowercase, as API Gateway delivers them.
 */
public record HttpApiRequest(String routeKey, String path, String tenantId, Map<String, String> pathParameters,
                             Map<String, String> queryParameters, Map<String, String> headers, String body,
                             Set<String> scopes, Instant expiresAt, BrowserTokens.Grant grant) {
    public HttpApiRequest {
        pathParameters = pathParameters == null ? Map.of() : Map.copyOf(pathParameters);
        queryParameters = queryParameters == null ? Map.of() : Map.copyOf(queryParameters);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        scopes = scopes == null ? Set.of() : Set.copyOf(scopes);
    }

    public HttpApiRequest(String routeKey, String path, String tenantId, Map<String, String> pathParameters,
                          Map<String, String> queryParameters, Map<String, String> headers, String body) {
        this(routeKey, path, tenantId, pathParameters, queryParameters, headers, body, Set.of(), null, null);
    }

    public String header(String lowercaseName) {
        return headers.get(lowercaseName);
    }

    /** The request an HTTP API event carries; an event of another shape is refused, naming what is missing. */
    public static HttpApiRequest read(InputStream event) throws IOException {
        JsonNode root = Json.readObject(event, "an HTTP API event");
        String routeKey = Json.text(root, "routeKey");
        String rawPath = Json.text(root, "rawPath");
        if (routeKey == null || rawPath == null) {
            throw new IllegalArgumentException("not an HTTP API payload 2.0 event: it has no "
                    + (routeKey == null ? "routeKey" : "rawPath"));
        }
        Map<String, String> headers = new HashMap<>();
        Json.strings(root.get("headers")).forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), value));
        JsonNode authorizer = root.path("requestContext").path("authorizer").path("lambda");
        String tenantId = Json.text(authorizer, AuthorizerResponse.TENANT_ID);
        String scopes = Json.text(authorizer, AuthorizerResponse.SCOPES);
        String expiry = Json.text(authorizer, AuthorizerResponse.EXPIRES_AT);
        Instant expiresAt = expiry == null ? null : Instant.ofEpochSecond(Long.parseLong(expiry));
        return new HttpApiRequest(routeKey, rawPath, tenantId, Json.strings(root.get("pathParameters")),
                Json.strings(root.get("queryStringParameters")), headers, body(root),
                scopes == null || scopes.isEmpty() ? Set.of() : Set.copyOf(java.util.List.of(scopes.split(","))),
                expiresAt, grant(authorizer, tenantId, expiresAt));
    }

    /** The browser token's grant the authorizer passed on; null when the caller used an API key. */
    private static BrowserTokens.Grant grant(JsonNode authorizer, String tenantId, Instant expiresAt) {
        String jobIds = Json.text(authorizer, AuthorizerResponse.TOKEN_JOB_IDS);
        String tag = Json.text(authorizer, AuthorizerResponse.TOKEN_TAG);
        if (tag != null && expiresAt != null) {
            return BrowserTokens.Grant.ofTag(tenantId, tag, expiresAt);
        }
        if (jobIds == null || expiresAt == null) {
            return null;
        }
        return new BrowserTokens.Grant(tenantId, jobIds.isEmpty() ? Set.of() : Set.of(jobIds.split(",")), expiresAt);
    }

    /**
     * An API Gateway event's body (HTTP or WebSocket), decoded when it came base64-encoded; null if none. Bytes
     * that are not UTF-8 are {@link MalformedBody}, not text with replacement characters in it.
     */
    static String body(JsonNode event) {
        String body = Json.text(event, "body");
        if (body != null && event.path("isBase64Encoded").asBoolean(false)) {
            ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(body));
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
            } catch (CharacterCodingException e) {
                throw new MalformedBody("is not valid UTF-8 (from byte " + bytes.position()
                        + "); send JSON text in UTF-8");
            }
        }
        return body;
    }

    /** A request body that cannot be text; the message says why, for a 400 naming the body. */
    public static final class MalformedBody extends IllegalArgumentException {
        MalformedBody(String message) {
            super(message);
        }
    }
}
