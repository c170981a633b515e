package io.jobway.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Seed scenario 2: Stripe posts a signed {@code payment_intent.succeeded} to the intake; the payment job records
 * it and starts the receipt email (sent over SMTP to an in-process server) and the analytics event.
 */
class PaymentExampleE2ETest {
    private static final String STRIPE_SECRET = "whsec_shop_stripe_endpoint_secret";
    private static final ExampleStack stack = ExampleStack.shared();
    private static String intakeUrl;
    private GreenMail mailServer;

    @BeforeAll
    static void connectStripe() {
        ExampleStack.Response source = stack.post("/v1/hook-sources",
                "{\"scheme\":\"stripe\",\"secret\":\"" + STRIPE_SECRET + "\",\"jobType\":\"payment\"}");
        assertThat(source.status()).as(source.body()).isEqualTo(201);
        intakeUrl = source.json().get("url").asText();
    }

    private void startMailServer() {
        mailServer = new GreenMail(new ServerSetup(stack.smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mailServer.start();
    }

    @AfterEach
    void stopMailServer() {
        if (mailServer != null) {
            mailServer.stop();
        }
    }

    @Test
    void a_payment_is_recorded_its_receipt_is_mailed_and_an_analytics_job_follows() throws Exception {
        startMailServer();
        String paymentIntent = "pi_" + System.nanoTime();

        ExampleStack.Response accepted = stripeSends(paymentSucceeded(paymentIntent, 4999, "ada@example.com"));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        String paymentJob = accepted.json().get("jobId").asText();

        JsonNode payment = stack.awaitStatus(paymentJob, "succeeded", Duration.ofSeconds(20)).get("result");
        assertThat(payment.get("paymentId").asText()).isEqualTo(paymentIntent);
        assertThat(payment.get("amountMinor").asLong()).isEqualTo(4999);
        JsonNode email = stack.awaitStatus(payment.get("emailJobId").asText(), "succeeded", Duration.ofSeconds(20));
        JsonNode analytics = stack.awaitStatus(payment.get("analyticsJobId").asText(), "succeeded",
                Duration.ofSeconds(20));

        assertThat(mailServer.waitForIncomingEmail(5_000, 1)).isTrue();
        MimeMessage receipt = mailServer.getReceivedMessages()[0];
        assertThat(receipt.getAllRecipients()[0].toString()).isEqualTo("ada@example.com");
        assertThat(receipt.getFrom()[0].toString()).isEqualTo("receipts@shop.example");
        assertThat(receipt.getSubject()).isEqualTo("Your receipt for 49.99 USD");
        assertThat(GreenMailUtil.getBody(receipt)).contains("49.99 USD").contains(paymentIntent);
        assertThat(receipt.getHeader("X-Jobway-Job-Id")[0]).isEqualTo(email.get("jobId").asText());
        assertThat(analytics.get("result").get("event").asText()).isEqualTo("payment_succeeded");
        assertThat(analytics.get("result").get("properties").get("paymentId").asText()).isEqualTo(paymentIntent);
    }

    @Test
    void stripe_retrying_the_same_event_records_the_payment_once() throws Exception {
        startMailServer();
        String event = paymentSucceeded("pi_" + System.nanoTime(), 1200, "grace@example.com");

        String first = stripeSends(event).json().get("jobId").asText();
        ExampleStack.Response replay = stripeSends(event);

        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.json().get("jobId").asText()).isEqualTo(first);
        JsonNode payment = stack.awaitStatus(first, "succeeded", Duration.ofSeconds(20)).get("result");
        stack.awaitStatus(payment.get("emailJobId").asText(), "succeeded", Duration.ofSeconds(20));
        assertThat(mailServer.getReceivedMessages()).hasSize(1);
    }

    @Test
    void when_the_mail_server_is_down_the_email_job_ends_dead_and_a_retry_from_the_api_sends_it()
            throws Exception {
        String paymentIntent = "pi_" + System.nanoTime();
        String paymentJob = stripeSends(paymentSucceeded(paymentIntent, 250000, "alan@example.com"))
                .json().get("jobId").asText();
        JsonNode payment = stack.awaitStatus(paymentJob, "succeeded", Duration.ofSeconds(20)).get("result");
        String emailJob = payment.get("emailJobId").asText();

        JsonNode dead = stack.awaitStatus(emailJob, "dead", Duration.ofSeconds(40));
        assertThat(dead.get("attempt").asInt()).isEqualTo(4);
        assertThat(dead.get("error").get("message").asText()).containsIgnoringCase("connect");
        assertThat(stack.awaitStatus(payment.get("analyticsJobId").asText(), "succeeded", Duration.ofSeconds(20)))
                .as("the analytics job does not wait for the email").isNotNull();

        startMailServer();
        ExampleStack.Response retried = stack.post("/v1/jobs/" + emailJob + "/retry", "");
        assertThat(retried.status()).as(retried.body()).isEqualTo(202);

        stack.awaitStatus(emailJob, "succeeded", Duration.ofSeconds(20));
        assertThat(mailServer.waitForIncomingEmail(5_000, 1)).isTrue();
        assertThat(mailServer.getReceivedMessages()[0].getSubject()).isEqualTo("Your receipt for 2500.00 USD");
    }

    @Test
    void a_forged_event_is_refused_and_starts_nothing() {
        String event = paymentSucceeded("pi_forged", 100, "mallory@example.com");
        long now = Instant.now().getEpochSecond();

        ExampleStack.Response refused = stack.post(intakeUrl, event,
                Map.of("Stripe-Signature", "t=" + now + ",v1=" + hmacHex("whsec_not_the_secret", now + "." + event)),
                false);

        assertThat(refused.status()).isEqualTo(401);
        assertThat(stack.get("/v1/jobs?type=payment&limit=100").body()).doesNotContain("pi_forged");
    }

    private static ExampleStack.Response stripeSends(String event) {
        long t = Instant.now().getEpochSecond();
        return stack.post(intakeUrl, event, Map.of("Stripe-Signature", "t=" + t + ",v1=" + hmacHex(STRIPE_SECRET,
                t + "." + event)), false);
    }

    /** A Stripe event as Stripe sends it (the fields this example reads, and a few it does not). */
    private static String paymentSucceeded(String paymentIntent, long amount, String email) {
        return "{\"id\":\"evt_" + paymentIntent.substring(3) + "\",\"object\":\"event\",\"api_version\":\"2024-06-20\","
                + "\"type\":\"payment_intent.succeeded\",\"livemode\":false,\"data\":{\"object\":{\"id\":\""
                + paymentIntent + "\",\"object\":\"payment_intent\",\"amount\":" + amount + ",\"amount_received\":"
                + amount + ",\"currency\":\"usd\",\"customer\":\"cus_123\",\"receipt_email\":\"" + email
                + "\",\"status\":\"succeeded\"}}}";
    }

    private static String hmacHex(String secret, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
