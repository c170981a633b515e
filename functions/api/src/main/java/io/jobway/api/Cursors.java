package io.jobway.api;

import io.jobway.auth.SigningKeys;
import io.jobway.events.HttpApiRequest;
import io.jobway.notify.WebhookSigner;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.Predicate;

/**
 * A list's opaque {@code nextCursor}: the page's last key, then a MAC over the tenant, the list and the key. A cursor
 * is good only for the tenant and the list that made it: another tenant's cursor, one from another list, or one
 * edited by hand is a 400. Queries are keyed by the caller's tenant anyway; the MAC makes the refusal explicit and
 * keeps callers from steering a query to a key of their choosing.
 */
final class Cursors {
    static final String PURPOSE = "cursor/v1";
    private static final int MAC_BYTES = 16;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final SigningKeys keys;

    Cursors(SigningKeys keys) {
        this.keys = keys;
    }

    /** The cursor for a page of {@code list} that ended at {@code lastKey}; null when there is no next page. */
    String encode(HttpApiRequest request, String list, String lastKey) {
        if (lastKey == null) {
            return null;
        }
        return ENCODER.encodeToString(lastKey.getBytes(StandardCharsets.UTF_8)) + "."
                + ENCODER.encodeToString(mac(request.tenantId(), list, lastKey));
    }

    /** The last key of the request's {@code cursor}, null when it has none; a 400 naming cursor unless valid. */
    String decode(HttpApiRequest request, String list, Predicate<String> validKey) {
        String cursor = request.queryParameters().get("cursor");
        if (cursor == null) {
            return null;
        }
        int dot = cursor.indexOf('.');
        try {
            if (dot > 0) {
                String lastKey = new String(Base64.getUrlDecoder().decode(cursor.substring(0, dot)),
                        StandardCharsets.UTF_8);
                byte[] presented = Base64.getUrlDecoder().decode(cursor.substring(dot + 1));
                if (MessageDigest.isEqual(presented, mac(request.tenantId(), list, lastKey)) && validKey.test(lastKey)) {
                    return lastKey;
                }
            }
        } catch (IllegalArgumentException ignored) {
            // not base64: falls through to the 400
        }
        throw ApiProblem.invalid("cursor", "is not a cursor this list returned to this tenant; pass nextCursor from"
                + " the previous page of the same list");
    }

    private byte[] mac(String tenantId, String list, String lastKey) {
        byte[] message = (list + '\0' + tenantId + '\0' + lastKey).getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(WebhookSigner.hmacSha256(keys.key(PURPOSE), message), MAC_BYTES);
    }
}
