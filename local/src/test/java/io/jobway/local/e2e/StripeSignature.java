package io.jobway.local.e2e;

import io.jobway.notify.WebhookSigner;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** A {@code Stripe-Signature} header as Stripe writes it: {@code t=<seconds>,v1=<hex HMAC-SHA256 of "t.body">}. */
final class StripeSignature {
    private StripeSignature() {
    }

    static String of(long t, String body, String secret) {
        byte[] mac = WebhookSigner.hmacSha256(secret.getBytes(StandardCharsets.UTF_8),
                (t + "." + body).getBytes(StandardCharsets.UTF_8));
        return "t=" + t + ",v1=" + HexFormat.of().formatHex(mac);
    }
}
