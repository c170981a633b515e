package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.notify.WebhookSigner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A payment provider posts signed events to the intake; each verified event becomes exactly one job. */
class HooksE2ETest {
    private static final String KEY = "jw_tenantP_" + "paymentspaymentspayments";
    private static final String STRIPE_SECRET = "whsec_test_stripe_endpoint_0001";
    private static final LocalJobway jobway = LocalJobway.shared();
    private static String stripeSource;

    @BeforeAll
    static void registerASource() {
        jobway.registerKey(KEY, "tenant-p");
        LocalJobway.Response created = jobway.post("/v1/hook-sources", KEY,
                "{\"scheme\":\"stripe\",\"secret\":\"" + STRIPE_SECRET + "\",\"jobType\":\"echo\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        stripeSource = created.json().get("url").asText();
    }

    private LocalJobway.Response deliver(String body, String signature) {
        return jobway.post(stripeSource, null, body, Map.of("Stripe-Signature", signature));
    }

    private List<JsonNode> jobsOfTenant() {
        return List.copyOf(jobway.get("/v1/jobs?limit=100", KEY).json().get("items").findParents("jobId"));
    }

    @Test
    void a_signed_event_becomes_one_job_and_a_replay_creates_nothing() throws Exception {
        String body = "{\"id\":\"evt_" + System.nanoTime() + "\",\"type\":\"payment_intent.succeeded\","
                + "\"data\":{\"object\":{\"amount\":4200}}}";
        String signature = StripeSignature.of(Instant.now().getEpochSecond(), body, STRIPE_SECRET);

        LocalJobway.Response first = deliver(body, signature);
        LocalJobway.Response replay = deliver(body, signature);

        assertThat(first.status()).as(first.body()).isEqualTo(202);
        assertThat(replay.status()).isEqualTo(200);
        String id = first.json().get("jobId").asText();
        assertThat(replay.json().get("jobId").asText()).isEqualTo(id);
        JsonNode done = awaitSucceeded(id);
        assertThat(done.get("result").get("data").get("object").get("amount").asInt()).isEqualTo(4200);
        assertThat(jobsOfTenant().stream().filter(j -> j.get("jobId").asText().equals(id))).hasSize(1);
    }

    @Test
    void a_stale_or_forged_signature_is_401_and_stores_nothing() {
        int before = jobsOfTenant().size();
        String body = "{\"id\":\"evt_forged_" + System.nanoTime() + "\",\"type\":\"charge.refunded\"}";
        long now = Instant.now().getEpochSecond();

        LocalJobway.Response stale = deliver(body, StripeSignature.of(now - 600, body, STRIPE_SECRET));
        LocalJobway.Response forged = deliver(body, StripeSignature.of(now, body, "whsec_guessed"));
        LocalJobway.Response unsigned = jobway.post(stripeSource, null, body);

        assertThat(List.of(stale.status(), forged.status(), unsigned.status())).containsOnly(401);
        assertThat(stale.json().get("detail").asText()).contains("minutes");
        assertThat(jobsOfTenant()).hasSize(before);
    }

    @Test
    void a_standard_webhooks_source_accepts_what_a_standard_sender_signs() {
        String secret = "whsec_" + java.util.Base64.getEncoder().encodeToString(
                "a standard webhooks secret!!".getBytes(StandardCharsets.UTF_8));
        String url = jobway.post("/v1/hook-sources", KEY, "{\"scheme\":\"standard-webhooks\",\"secret\":\"" + secret
                + "\",\"jobType\":\"echo\"}").json().get("url").asText();
        String body = "{\"type\":\"user.created\",\"data\":{\"email\":\"ada@example.com\"}}";
        Map<String, String> headers = WebhookSigner.headers("msg_" + System.nanoTime(), Instant.now(), body,
                List.of(secret));

        LocalJobway.Response accepted = jobway.post(url, null, body, headers);

        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        awaitSucceeded(accepted.json().get("jobId").asText());
    }

    /** Signed, so past the signature: what is wrong with the event itself is named, and no job is made. */
    @Test
    void a_signed_event_that_is_not_json_or_has_no_id_is_400_and_one_over_256_KiB_is_413() {
        int before = jobsOfTenant().size();
        long now = Instant.now().getEpochSecond();
        String notJson = "id=evt_1&type=charge";
        String noId = "{\"type\":\"charge.refunded\"}";
        String huge = "{\"id\":\"evt_huge_" + System.nanoTime() + "\",\"data\":\"" + "x".repeat(300 * 1024) + "\"}";

        LocalJobway.Response notJsonAnswer = deliver(notJson, StripeSignature.of(now, notJson, STRIPE_SECRET));
        LocalJobway.Response noIdAnswer = deliver(noId, StripeSignature.of(now, noId, STRIPE_SECRET));
        LocalJobway.Response hugeAnswer = deliver(huge, StripeSignature.of(now, huge, STRIPE_SECRET));

        assertThat(notJsonAnswer.status()).isEqualTo(400);
        assertThat(notJsonAnswer.json().get("errors").findValuesAsText("field")).containsExactly("body");
        assertThat(noIdAnswer.status()).isEqualTo(400);
        assertThat(noIdAnswer.json().get("errors").findValuesAsText("field")).containsExactly("id");
        assertThat(hugeAnswer.status()).isEqualTo(413);
        assertThat(hugeAnswer.json().get("errors").findValuesAsText("field")).containsExactly("body");
        assertThat(jobsOfTenant()).hasSize(before);
    }

    /** A sender that signs a second body under an event id it already used is refused; the first job stands. */
    @Test
    void the_same_event_id_with_another_body_is_422_naming_the_first_job() {
        String id = "evt_twice_" + System.nanoTime();
        String first = "{\"id\":\"" + id + "\",\"type\":\"charge.succeeded\",\"amount\":100}";
        String second = "{\"id\":\"" + id + "\",\"type\":\"charge.succeeded\",\"amount\":999}";
        long now = Instant.now().getEpochSecond();

        LocalJobway.Response accepted = deliver(first, StripeSignature.of(now, first, STRIPE_SECRET));
        LocalJobway.Response reused = deliver(second, StripeSignature.of(now, second, STRIPE_SECRET));

        assertThat(accepted.status()).isEqualTo(202);
        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.json().get("errors").findValuesAsText("field")).containsExactly("id");
        assertThat(reused.json().get("detail").asText()).contains(accepted.json().get("jobId").asText());
        assertThat(awaitSucceeded(accepted.json().get("jobId").asText()).get("result").get("amount").asInt())
                .isEqualTo(100);
    }

    @Test
    void sources_are_listed_without_secrets_rotated_with_an_overlap_and_deleted() {
        String oldSecret = "whsec_rotate_old_" + System.nanoTime();
        String newSecret = "whsec_rotate_new_" + System.nanoTime();
        JsonNode created = jobway.post("/v1/hook-sources", KEY, "{\"scheme\":\"stripe\",\"secret\":\"" + oldSecret
                + "\",\"jobType\":\"echo\"}").json();
        String sourceId = created.get("sourceId").asText();
        String url = created.get("url").asText();

        LocalJobway.Response listed = jobway.get("/v1/hook-sources", KEY);
        assertThat(listed.json().get("items").findValuesAsText("sourceId")).contains(sourceId);
        assertThat(listed.body()).doesNotContain(oldSecret).doesNotContain("secret\"");

        LocalJobway.Response rotated = jobway.post("/v1/hook-sources/" + sourceId + "/rotate", KEY,
                "{\"secret\":\"" + newSecret + "\"}");
        assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
        assertThat(Instant.parse(rotated.json().get("previousSecretValidUntil").asText()))
                .isAfter(Instant.now().plus(Duration.ofHours(23)));
        assertThat(rotated.body()).doesNotContain(oldSecret).doesNotContain(newSecret);
        long now = Instant.now().getEpochSecond();
        String byOld = "{\"id\":\"evt_old_" + System.nanoTime() + "\"}";
        String byNew = "{\"id\":\"evt_new_" + System.nanoTime() + "\"}";
        assertThat(jobway.post(url, null, byOld, Map.of("Stripe-Signature", StripeSignature.of(now, byOld, oldSecret)))
                .status()).as("the old secret, within the overlap").isEqualTo(202);
        assertThat(jobway.post(url, null, byNew, Map.of("Stripe-Signature", StripeSignature.of(now, byNew, newSecret)))
                .status()).as("the new secret").isEqualTo(202);

        assertThat(jobway.delete("/v1/hook-sources/" + sourceId, LocalJobway.KEY_A).status())
                .as("another tenant's delete").isEqualTo(404);
        assertThat(jobway.post("/v1/hook-sources/" + sourceId + "/rotate", LocalJobway.KEY_A,
                "{\"secret\":\"whsec_theirs\"}").status()).as("another tenant's rotate").isEqualTo(404);
        assertThat(jobway.get("/v1/hook-sources", LocalJobway.KEY_A).json().get("items").findValuesAsText("sourceId"))
                .as("another tenant's list").doesNotContain(sourceId);

        assertThat(jobway.delete("/v1/hook-sources/" + sourceId, KEY).status()).isEqualTo(204);
        String late = "{\"id\":\"evt_late_" + System.nanoTime() + "\"}";
        assertThat(jobway.post(url, null, late, Map.of("Stripe-Signature", StripeSignature.of(now, late, newSecret)))
                .status()).as("a deleted source's URL").isEqualTo(404);
        assertThat(jobway.get("/v1/hook-sources", KEY).json().get("items").findValuesAsText("sourceId"))
                .doesNotContain(sourceId);
    }

    @Test
    void an_unknown_source_is_404() {
        assertThat(jobway.post("/v1/hooks/hs_doesnotexist", null, "{}").status()).isEqualTo(404);
    }

    /** DynamoDB refuses a key over 2,048 bytes; that is a bad id, not an outage to retry (no 503, no Retry-After). */
    @Test
    void a_source_id_longer_than_any_key_is_404_too() {
        LocalJobway.Response response = jobway.post("/v1/hooks/hs_" + "x".repeat(3_000), null, "{}");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.header("retry-after")).isNull();
    }

    private JsonNode awaitSucceeded(String id) {
        Instant end = Instant.now().plusSeconds(20);
        while (true) {
            JsonNode job = jobway.get("/v1/jobs/" + id, KEY).json();
            if (job.get("status").asText().equals("succeeded")) {
                return job;
            }
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("not succeeded: " + job);
            }
            LocalJobway.pause(Duration.ofMillis(100));
        }
    }
}
