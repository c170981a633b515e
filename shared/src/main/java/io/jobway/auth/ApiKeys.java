package io.jobway.auth;

import io.jobway.json.Digests;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Makes and recognises API keys: {@code jw_<keyId>_<secret>}. The key id is public (it names the key in
 * listings and logs); the whole key has 192 random bits, so a plain SHA-256 is a safe way to store it.
 */
public final class ApiKeys {
    private static final String PREFIX = "jw_";
    private final SecureRandom random = new SecureRandom();

    /** A new key in full; show it once, store only {@link #hash} of it. */
    public String generate() {
        return PREFIX + token(6) + "_" + token(18);
    }

    public static String hash(String key) {
        return Digests.sha256Hex(key);
    }

    /** The public part of a key, or the start of an unknown token (never the secret part). */
    public static String keyId(String key) {
        if (key.startsWith(PREFIX)) {
            int end = key.indexOf('_', PREFIX.length());
            if (end > 0) {
                return key.substring(PREFIX.length(), end);
            }
        }
        return "unknown";
    }

    private String token(int bytes) {
        byte[] raw = new byte[bytes];
        random.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw).replace('_', 'Z').replace('-', 'Y');
    }
}
