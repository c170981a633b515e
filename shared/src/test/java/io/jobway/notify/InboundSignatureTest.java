package io.jobway.notify;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class InboundSignatureTest {
    private static final String SECRET = "whsec_stripe_endpoint_secret";
    private static final String BODY = "{\"id\":\"evt_1\",\"type\":\"payment_intent.succeeded\"}";
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    /** What Stripe sends: HMAC-SHA256 of "t.body" with the endpoint secret as raw bytes, in hex. */
    static String stripeHeader(long t, String body, String secret) {
        byte[] mac = WebhookSigner.hmacSha256(secret.getBytes(StandardCharsets.UTF_8),
                (t + "." + body).getBytes(StandardCharsets.UTF_8));
        return "t=" + t + ",v1=" + HexFormat.of().formatHex(mac) + ",v0=ignored";
    }

    @Test
    void verifyStripe_acceptsAFreshCorrectSignatureAmongSeveral() {
        String header = stripeHeader(NOW.getEpochSecond(), BODY, SECRET).replace("t=", "t=") + ",v1=deadbeef";

        assertThatCode(() -> InboundSignature.verifyStripe(header, BODY, SECRET, NOW)).doesNotThrowAnyException();
    }

    @Test
    void verifyStripe_refusesAStaleForgedOrMissingSignature() {
        long stale = NOW.minusSeconds(301).getEpochSecond();
        assertThatThrownBy(() -> InboundSignature.verifyStripe(stripeHeader(stale, BODY, SECRET), BODY, SECRET, NOW))
                .isInstanceOf(InboundSignature.Refused.class).hasMessageContaining("more than 5 minutes");
        assertThatThrownBy(() -> InboundSignature.verifyStripe(stripeHeader(NOW.getEpochSecond(), BODY, "other"),
                BODY, SECRET, NOW)).hasMessageContaining("no v1 signature matches");
        assertThatThrownBy(() -> InboundSignature.verifyStripe(stripeHeader(NOW.getEpochSecond(), BODY, SECRET),
                BODY + " ", SECRET, NOW)).hasMessageContaining("no v1 signature matches");
        assertThatThrownBy(() -> InboundSignature.verifyStripe(null, BODY, SECRET, NOW)).hasMessageContaining("missing");
        assertThatThrownBy(() -> InboundSignature.verifyStripe("v1=abc", BODY, SECRET, NOW)).hasMessageContaining("t=");
    }

    @Test
    void verifyStandard_acceptsWhatTheSignerSignsAndRefusesAStaleTimestamp() {
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        var headers = WebhookSigner.headers("msg_1", NOW, BODY, java.util.List.of(secret));

        assertThatCode(() -> InboundSignature.verifyStandard("msg_1", headers.get("webhook-timestamp"),
                headers.get("webhook-signature"), BODY, secret, NOW)).doesNotThrowAnyException();
        assertThatThrownBy(() -> InboundSignature.verifyStandard("msg_1", headers.get("webhook-timestamp"),
                headers.get("webhook-signature"), BODY, secret, NOW.plusSeconds(600)))
                .hasMessageContaining("more than 5 minutes");
    }
}
