package io.jobway.notify;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures (standardwebhooks.com): {@code webhook-signature} is
 * {@code v1,<base64 HMAC-SHA256(key, id + "." + timestamp + "." + body)>}, the key being the base64 part of a
 * {@code whsec_} secret. While a secret is rotated, every valid secret signs, space-separated, so receivers
 * holding either secret accept the message. Written here (a dozen lines of JDK crypto) rather than taken
 * from a library: none is served for Java here, and it keeps the notifier's package small.
 */
public final class WebhookSigner {
    public static final String SECRET_PREFIX = "whsec_";
    /** How far a verified timestamp may be from now, as the Standard Webhooks libraries check. */
    public static final Duration TOLERANCE = Duration.ofMinutes(5);

    private WebhookSigner() {
    }

    /** The three headers of a signed message. */
    public static Map<String, String> headers(String id, Instant timestamp, String body, List<String> secrets) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("signing needs at least one secret");
        }
        List<String> signatures = new ArrayList<>();
        for (String secret : secrets) {
            signatures.add("v1," + sign(id, timestamp.getEpochSecond(), body, secret));
        }
        return Map.of("webhook-id", id, "webhook-timestamp", Long.toString(timestamp.getEpochSecond()),
                "webhook-signature", String.join(" ", signatures));
    }

    /** The base64 signature of one message with one secret. */
    public static String sign(String id, long timestampSeconds, String body, String secret) {
        byte[] mac = hmacSha256(keyOf(secret), (id + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(mac);
    }

    /** Whether any {@code v1} signature in the header matches, compared in constant time. */
    public static boolean matches(String id, long timestampSeconds, String body, String signatureHeader,
                                  String secret) {
        byte[] expected = sign(id, timestampSeconds, body, secret).getBytes(StandardCharsets.UTF_8);
        for (String candidate : signatureHeader.trim().split(" +")) {
            if (candidate.startsWith("v1,") && MessageDigest.isEqual(expected,
                    candidate.substring(3).getBytes(StandardCharsets.UTF_8))) {
                return true;
            }
        }
        return false;
    }

    static byte[] keyOf(String secret) {
        String encoded = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        return Base64.getDecoder().decode(encoded);
    }

    public static byte[] hmacSha256(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available: " + e.getMessage(), e);
        }
    }
}
