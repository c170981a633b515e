package io.jobway.examples.payment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobway.handler.JobContext;
import io.jobway.handler.JobHandler;
import io.jobway.handler.PermanentJobFailure;
import io.jobway.job.JobSpec;
import io.jobway.json.Json;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Set;

/**
 * Job type {@code payment}: the job an inbound Stripe event becomes ({@code POST /v1/hooks/{source}} verified
 * its signature). For {@code payment_intent.succeeded} it records the payment — its result is the record; an app
 * writes its own database here — then starts the receipt email ({@code email} job) and the analytics event
 * ({@code analytics} job) as follow-ups, so a failing mail server delays the receipt and nothing else. Other event
 * types are acknowledged and ignored, as Stripe recommends.
 */
public final class PaymentHandler implements JobHandler {
    static final String SUCCEEDED = "payment_intent.succeeded";
    /** Currencies Stripe writes without minor units. */
    private static final Set<String> ZERO_DECIMAL = Set.of("jpy", "krw", "vnd", "clp", "isk", "ugx", "xof", "xaf");

    @Override
    public String type() {
        return "payment";
    }

    @Override
    public JsonNode handle(JobContext context) {
        JsonNode event = context.payload();
        String eventType = event == null ? "" : event.path("type").asText();
        if (!SUCCEEDED.equals(eventType)) {
            return Json.object().put("ignored", eventType);
        }
        Payment payment = Payment.from(event);
        context.progress(30, "recorded payment " + payment.id());

        String emailJob = context.submit(new JobSpec("email", Json.write(receipt(payment)), 4, 60, 0, null, null));
        context.progress(60, "receipt email queued");
        String analyticsJob = context.submit("analytics", Json.object().put("event", "payment_succeeded")
                .put("paymentId", payment.id()).put("amountMinor", payment.amountMinor())
                .put("currency", payment.currency()).put("customer", payment.customer()));
        context.progress(100, "analytics queued");

        ObjectNode result = payment.toJson();
        result.put("eventId", event.path("id").asText());
        result.put("emailJobId", emailJob);
        result.put("analyticsJobId", analyticsJob);
        return result;
    }

    private static ObjectNode receipt(Payment payment) {
        return Json.object().put("to", payment.receiptEmail())
                .put("subject", "Your receipt for " + payment.display())
                .put("text", "Thank you for your payment of " + payment.display() + ".\n\nPayment: " + payment.id()
                        + "\n");
    }

    /** The fields of a Stripe PaymentIntent this example keeps. */
    record Payment(String id, long amountMinor, String currency, String customer, String receiptEmail) {
        static Payment from(JsonNode event) {
            JsonNode intent = event.path("data").path("object");
            String id = intent.path("id").asText(null);
            if (id == null || !intent.path("amount_received").canConvertToLong()
                    || intent.path("currency").asText().isEmpty()) {
                throw new PermanentJobFailure("a payment_intent.succeeded event needs data.object.id, "
                        + "amount_received and currency");
            }
            String email = intent.path("receipt_email").asText(null);
            if (email == null || email.isBlank()) {
                throw new PermanentJobFailure("payment " + id + " has no receipt_email to send the receipt to");
            }
            return new Payment(id, intent.path("amount_received").asLong(),
                    intent.path("currency").asText().toLowerCase(Locale.ROOT), intent.path("customer").asText(null),
                    email);
        }

        String display() {
            BigDecimal amount = ZERO_DECIMAL.contains(currency) ? BigDecimal.valueOf(amountMinor)
                    : BigDecimal.valueOf(amountMinor, 2);
            return amount.toPlainString() + " " + currency.toUpperCase(Locale.ROOT);
        }

        ObjectNode toJson() {
            return Json.object().put("paymentId", id).put("amountMinor", amountMinor).put("currency", currency)
                    .put("customer", customer).put("receiptEmail", receiptEmail);
        }
    }
}
