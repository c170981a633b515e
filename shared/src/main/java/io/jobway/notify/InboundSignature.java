package io.jobway.notify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Checks the signature of a webhook Jobway receives, in the two schemes senders use: Stripe's
 * {@code Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + body)>} and Standard Webhooks.
 * Both refuse a timestamp further than the tolerance from now, so a captured request cannot be replayed later.
 */
public final class InboundSignature {
    public static final Duration TOLERANCE = Duration.ofMinutes(5);

    private InboundSignature() {
    }

    /** Why a request was refused; the message is safe to return to the sender. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    public static void verifyStripe(String header, String body, String secret, Instant now) {
        if (header == null || header.isBlank()) {
            throw new Refused("missing Stripe-Signature header");
        }
        Long timestamp = null;
        java.util.List<String> signatures = new java.util.ArrayList<>();
        for (String part : header.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length != 2) {
                continue;
            }
            if (kv[0].equals("t")) {
                try {
                    timestamp = Long.parseLong(kv[1]);
                } catch (NumberFormatException e) {
                    throw new Refused("Stripe-Signature timestamp is not a number");
                }
            } else if (kv[0].equals("v1")) {
                signatures.add(kv[1]);
            }
        }
        if (timestamp == null || signatures.isEmpty()) {
            throw new Refused("Stripe-Signature needs t=<timestamp> and v1=<signature>");
        }
        checkFresh(timestamp, now);
        byte[] expected = HexFormat.of().formatHex(WebhookSigner.hmacSha256(secret.getBytes(StandardCharsets.UTF_8),
                (timestamp + "." + body).getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.UTF_8);
        for (String signature : signatures) {
            if (MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.UTF_8))) {
                return;
            }
        }
        throw new Refused("no v1 signature matches this endpoint's secret");
    }

    public static void verifyStandard(String id, String timestampHeader, String signatureHeader, String body,
                                      String secret, Instant now) {
        if (id == null || timestampHeader == null || signatureHeader == null) {
            throw new Refused("missing webhook-id, webhook-timestamp or webhook-signature header");
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(timestampHeader.trim());
        } catch (NumberFormatException e) {
            throw new Refused("webhook-timestamp is not a number");
        }
        checkFresh(timestamp, now);
        if (!WebhookSigner.matches(id, timestamp, body, signatureHeader, secret)) {
            throw new Refused("no v1 signature matches this endpoint's secret");
        }
    }

    private static void checkFresh(long timestamp, Instant now) {
        if (Math.abs(now.getEpochSecond() - timestamp) > TOLERANCE.toSeconds()) {
            throw new Refused("the signature's timestamp is more than " + TOLERANCE.toMinutes()
                    + " minutes from now; a replayed or delayed request is refused");
        }
    }
}
