package io.jobway.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobway.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An HTTP API Lambda authorizer's simple response: allowed, with the context API Gateway hands the route's function
 * ({@code requestContext.authorizer.lambda}), or denied.
 */
public record AuthorizerResponse(boolean authorized, Map<String, String> context) {
    /** The context key of the tenant the API acts for; {@link HttpApiRequest#tenantId()} reads it. */
    public static final String TENANT_ID = "tenantId";
    /** The context key of the key's scopes, comma-separated; {@link HttpApiRequest#scopes()} reads it. */
    public static final String SCOPES = "scopes";
    /** Set only for a browser token: the job ids it may read, comma-separated ({@link HttpApiRequest#grant()}). */
    public static final String TOKEN_JOB_IDS = "tokenJobIds";
    /** Set only for a browser token of a tag, instead of {@link #TOKEN_JOB_IDS}: the tag it may read. */
    public static final String TOKEN_TAG = "tokenTag";
    /**
     * Set for a credential that expires (a browser token, a JWT): epoch seconds, checked again by the API, since
     * API Gateway caches the authorizer's answer for minutes ({@link HttpApiRequest#expiresAt()}).
     */
    public static final String EXPIRES_AT = "expiresAt";

    public AuthorizerResponse {
        context = Collections.unmodifiableMap(new LinkedHashMap<>(context));
    }

    public static AuthorizerResponse allow(Map<String, String> context) {
        return new AuthorizerResponse(true, context);
    }

    public static AuthorizerResponse deny() {
        return new AuthorizerResponse(false, Map.of());
    }

    /** {@code {"isAuthorized":true,"context":{...}}}, or {@code {"isAuthorized":false}}. */
    public void write(OutputStream out) throws IOException {
        ObjectNode answer = Json.object().put("isAuthorized", authorized);
        if (authorized) {
            ObjectNode values = answer.putObject("context");
            context.forEach(values::put);
        }
        out.write(Json.bytes(answer)); // bytes, not writeValue(out): the runtime's stream is the runtime's to close
    }
}
