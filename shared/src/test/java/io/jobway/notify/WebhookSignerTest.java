package io.jobway.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {
    // The example of the Standard Webhooks specification and its reference libraries' tests.
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330;
    private static final String BODY = "{\"test\": 2432232314}";
    private static final String SIGNATURE = "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    @Test
    void sign_givesTheSpecificationsSignatureForItsExample() {
        assertThat(WebhookSigner.sign(ID, TIMESTAMP, BODY, SECRET)).isEqualTo(SIGNATURE);
    }

    @Test
    void headers_carryTheIdTheTimestampInSecondsAndAV1Signature() {
        Map<String, String> headers = WebhookSigner.headers(ID, Instant.ofEpochSecond(TIMESTAMP), BODY, List.of(SECRET));

        assertThat(headers).containsEntry("webhook-id", ID).containsEntry("webhook-timestamp", "1614265330")
                .containsEntry("webhook-signature", "v1," + SIGNATURE);
    }

    @Test
    void headers_duringARotation_areSignedByEverySecretSoEitherVerifies() {
        String next = "whsec_" + java.util.Base64.getEncoder().encodeToString("another secret of 32 bytes!!!!!!".getBytes());
        String header = WebhookSigner.headers(ID, Instant.ofEpochSecond(TIMESTAMP), BODY, List.of(SECRET, next))
                .get("webhook-signature");

        assertThat(header.split(" ")).hasSize(2);
        assertThat(WebhookSigner.matches(ID, TIMESTAMP, BODY, header, SECRET)).isTrue();
        assertThat(WebhookSigner.matches(ID, TIMESTAMP, BODY, header, next)).isTrue();
    }

    @Test
    void matches_refusesAChangedBodyIdOrTimestamp() {
        String header = "v1," + SIGNATURE;

        assertThat(WebhookSigner.matches(ID, TIMESTAMP, BODY + " ", header, SECRET)).isFalse();
        assertThat(WebhookSigner.matches(ID + "x", TIMESTAMP, BODY, header, SECRET)).isFalse();
        assertThat(WebhookSigner.matches(ID, TIMESTAMP + 1, BODY, header, SECRET)).isFalse();
        assertThat(WebhookSigner.matches(ID, TIMESTAMP, BODY, "v2," + SIGNATURE, SECRET)).isFalse();
    }
}
