package io.jobway.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobway.api.ApiHarness.HttpResult;
import io.jobway.job.Job;
import io.jobway.job.JobIds;
import io.jobway.job.JobStatus;
import io.jobway.job.Priority;
import io.jobway.queue.JobMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SubmitJobTest {
    private static final String TENANT = "tenant-a";
    private final ApiHarness api = new ApiHarness();

    @Test
    void POST_jobs_gives_202_with_a_location_and_enqueues_the_job() {
        HttpResult response = api.submit(TENANT, "{\"type\":\"echo\",\"payload\":{\"orderId\":1042}}");

        assertThat(response.status()).isEqualTo(202);
        String jobId = response.jobId();
        assertThat(JobIds.isValid(jobId)).isTrue();
        assertThat(response.header("location")).isEqualTo("/v1/jobs/" + jobId);
        assertThat(response.header("content-type")).isEqualTo("application/json");
        assertThat(response.json().get("status").asText()).isEqualTo("queued");
        assertThat(response.json().get("attempt").asInt()).isZero();
        assertThat(response.json().get("maxAttempts").asInt()).isEqualTo(3);
        assertThat(response.json().get("timeoutSeconds").asInt()).isEqualTo(60);
        assertThat(response.json().get("payload").get("orderId").asInt()).isEqualTo(1042);

        Job stored = api.store.find(jobId).orElseThrow();
        assertThat(stored.tenantId()).isEqualTo(TENANT);
        assertThat(stored.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(api.visibleMessages()).containsExactly(messageBody(jobId));
    }

    @Test
    void POST_jobs_with_every_option_keeps_them_all() {
        HttpResult response = api.submit(TENANT, """
                {"type":"sleep","payload":{"ms":10},"maxAttempts":25,"timeoutSeconds":870,"delaySeconds":900,
                 "callbackUrl":"https://example.com/hooks/jobway"}""");

        assertThat(response.status()).isEqualTo(202);
        Job stored = api.store.find(response.jobId()).orElseThrow();
        assertThat(stored).extracting(Job::type, Job::maxAttempts, Job::timeoutSeconds, Job::callbackUrl)
                .containsExactly("sleep", 25, 870, "https://example.com/hooks/jobway");
        assertThat(stored.runAt()).isEqualTo(api.clock.instant().plusSeconds(900));
    }

    @Test
    void POST_jobs_with_a_delay_hides_the_message_until_then() {
        HttpResult response = api.submit(TENANT, "{\"type\":\"echo\",\"delaySeconds\":30}");

        assertThat(response.status()).isEqualTo(202);
        assertThat(api.visibleMessages()).isEmpty();
        api.clock.advance(Duration.ofSeconds(30));
        assertThat(api.visibleMessages()).containsExactly(messageBody(response.jobId()));
    }

    @Test
    void POST_jobs_due_beyond_15_minutes_is_scheduled_with_no_message_until_the_sweeper_sends_it() {
        HttpResult response = api.submit(TENANT, "{\"type\":\"echo\",\"delaySeconds\":2592000}"); // 30 days

        assertThat(response.status()).isEqualTo(202);
        assertThat(response.json().get("status").asText()).isEqualTo("scheduled");
        assertThat(response.json().get("runAt").asText()).isEqualTo(api.clock.instant().plus(Duration.ofDays(30))
                .toString());
        assertThat(api.queue.size()).as("no message, delayed or not").isZero();
        Job stored = api.store.find(response.jobId()).orElseThrow();
        assertThat(stored.status()).isEqualTo(JobStatus.SCHEDULED);
        assertThat(stored.dueAt()).isEqualTo(stored.runAt().minus(Job.ENQUEUE_AHEAD));
    }

    @Test
    void POST_jobs_with_runAt_in_any_offset_runs_at_that_instant() {
        Instant runAt = api.clock.instant().plus(Duration.ofDays(200)).truncatedTo(ChronoUnit.SECONDS);
        String inTokyo = runAt.atOffset(ZoneOffset.ofHours(9)).toString();

        HttpResult response = api.submit(TENANT, "{\"type\":\"echo\",\"runAt\":\"" + inTokyo + "\"}");

        assertThat(response.status()).isEqualTo(202);
        assertThat(response.json().get("status").asText()).isEqualTo("scheduled");
        assertThat(response.json().get("runAt").asText()).isEqualTo(runAt.toString());
    }

    @Test
    void POST_jobs_with_runAt_within_15_minutes_rides_on_the_message_delay() {
        Instant runAt = api.clock.instant().plusSeconds(600).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);

        HttpResult response = api.submit(TENANT, "{\"type\":\"echo\",\"runAt\":\"" + runAt + "\"}");

        assertThat(response.json().get("status").asText()).isEqualTo("queued");
        assertThat(api.queue.size()).isOne();
        api.clock.set(runAt.minusSeconds(1));
        assertThat(api.visibleMessages()).as("a second before runAt").isEmpty();
        api.clock.set(runAt.plusSeconds(1)); // SQS counts whole seconds; the delay is rounded up, never early
        assertThat(api.visibleMessages()).containsExactly(messageBody(response.jobId()));
    }

    @Test
    void POST_jobs_with_runAt_already_passed_runs_now() {
        HttpResult response = api.submit(TENANT, "{\"type\":\"echo\",\"runAt\":\"2020-01-01T00:00:00Z\"}");

        assertThat(response.json().get("status").asText()).isEqualTo("queued");
        assertThat(api.visibleMessages()).containsExactly(messageBody(response.jobId()));
    }

    @Test
    void POST_jobs_batch_answers_each_item_in_order_and_a_wrong_one_does_not_stop_the_others() {
        String body = """
                {"jobs":[{"type":"echo","payload":{"n":0}},
                         {"type":"no-such-type"},
                         {"type":"echo","payload":{"n":2},"idempotencyKey":"order-2"},
                         {"type":"echo","delaySeconds":86400}]}""";

        HttpResult first = api.send(ApiHarness.request("POST", "/v1/jobs/batch", "/v1/jobs/batch", TENANT, null, null,
                Map.of(), body));

        assertThat(first.status()).isEqualTo(200);
        var items = first.json().get("items");
        assertThat(items).hasSize(4);
        List<Integer> indexes = new java.util.ArrayList<>();
        List<Integer> statuses = new java.util.ArrayList<>();
        items.forEach(item -> {
            indexes.add(item.get("index").asInt());
            statuses.add(item.get("status").asInt());
        });
        assertThat(indexes).containsExactly(0, 1, 2, 3);
        assertThat(statuses).containsExactly(202, 400, 202, 202);
        assertThat(items.get(1).get("error").get("errors").get(0).get("field").asText()).isEqualTo("type");
        assertThat(items.get(3).get("job").get("status").asText()).isEqualTo("scheduled");
        assertThat(first.json().get("accepted").asInt()).isEqualTo(3);
        assertThat(api.visibleMessages()).as("the keyed one goes alone, at once")
                .containsExactly(messageBody(items.get(2).get("job").get("jobId").asText()));
        api.clock.advance(java.time.Duration.ofSeconds(1));
        assertThat(api.visibleMessages()).as("the batched one a second later, when its record is written")
                .containsExactly(messageBody(items.get(0).get("job").get("jobId").asText()));

        HttpResult again = api.send(ApiHarness.request("POST", "/v1/jobs/batch", "/v1/jobs/batch", TENANT, null, null,
                Map.of(), "{\"jobs\":[{\"type\":\"echo\",\"payload\":{\"n\":2},\"idempotencyKey\":\"order-2\"}]}"));
        assertThat(again.json().get("items").get(0).get("status").asInt()).as("the key replays").isEqualTo(200);
        assertThat(again.json().get("items").get(0).get("job").get("jobId").asText())
                .isEqualTo(items.get(2).get("job").get("jobId").asText());
    }

    @Test
    void POST_jobs_batch_sent_again_with_its_idempotency_key_replays_each_item_instead_of_making_it_twice() {
        String body = """
                {"jobs":[{"type":"echo","payload":{"n":0}},
                         {"type":"echo","payload":{"n":1},"idempotencyKey":"own-1"},
                         {"type":"echo","payload":{"n":2}}]}""";
        Map<String, String> keyed = Map.of("Idempotency-Key", "import-7");

        HttpResult first = api.send(ApiHarness.request("POST", "/v1/jobs/batch", "/v1/jobs/batch", TENANT, null, null,
                keyed, body));
        HttpResult again = api.send(ApiHarness.request("POST", "/v1/jobs/batch", "/v1/jobs/batch", TENANT, null, null,
                keyed, body));
        HttpResult changed = api.send(ApiHarness.request("POST", "/v1/jobs/batch", "/v1/jobs/batch", TENANT, null,
                null, keyed, body.replace("\"n\":2", "\"n\":20")));

        List<String> keys = new java.util.ArrayList<>();
        first.json().get("items").forEach(item -> keys.add(item.get("job").get("idempotencyKey").asText()));
        assertThat(keys).containsExactly("import-7:0", "own-1", "import-7:2");
        for (int i = 0; i < 3; i++) {
            assertThat(first.json().get("items").get(i).get("status").asInt()).isEqualTo(202);
            assertThat(again.json().get("items").get(i).get("status").asInt()).as("item %d replayed", i).isEqualTo(200);
            assertThat(again.json().get("items").get(i).get("job").get("jobId").asText())
                    .isEqualTo(first.json().get("items").get(i).get("job").get("jobId").asText());
        }
        assertThat(again.json().get("accepted").asInt()).isZero();
        assertThat(changed.json().get("items").get(2).get("status").asInt()).as("another body at that index")
                .isEqualTo(422);
        assertThat(changed.json().get("items").get(0).get("status").asInt()).isEqualTo(200);
    }

    @Test
    void POST_jobs_batch_with_an_idempotency_key_too_long_for_its_items_is_a_400_naming_it() {
        HttpResult response = api.send(ApiHarness.request("POST", "/v1/jobs/batch", "/v1/jobs/batch", TENANT, null,
                null, Map.of("Idempotency-Key", "k".repeat(253)), "{\"jobs\":[{\"type\":\"echo\"}]}"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorFields()).containsExactly("Idempotency-Key");
        assertNothingAccepted();
    }

    @Test
    void POST_jobs_batch_of_none_or_over_100_is_a_400_naming_jobs() {
        String job = "{\"type\":\"echo\"}";
        for (String body : List.of("{\"jobs\":[]}", "{\"jobs\":[" + String.join(",", java.util.Collections.nCopies(101, job))
                + "]}", "{\"items\":[" + job + "]}", "[" + job + "]")) {
            HttpResult response = api.send(ApiHarness.request("POST", "/v1/jobs/batch", "/v1/jobs/batch", TENANT, null,
                    null, Map.of(), body));
            assertThat(response.status()).as(body.length() > 60 ? "101 jobs" : body).isEqualTo(400);
            assertThat(response.errorFields()).containsAnyOf("jobs", "items", "body");
        }
        assertNothingAccepted();
    }

    @Test
    void POST_jobs_with_a_base64_encoded_body_is_read_like_a_plain_one() {
        String body = "{\"type\":\"echo\",\"payload\":{\"note\":\"caf\u00e9\"}}";
        var event = ApiHarness.request("POST", "/v1/jobs", "/v1/jobs", TENANT, null, null, Map.of(),
                Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)));
        event.setIsBase64Encoded(true);

        HttpResult response = api.send(event);

        assertThat(response.status()).isEqualTo(202);
        assertThat(api.store.find(response.jobId()).orElseThrow().payload()).isEqualTo("{\"note\":\"caf\u00e9\"}");
    }

    @Test
    void POST_jobs_without_a_tenant_gives_401_and_records_nothing() {
        HttpResult response = api.submit(null, "{\"type\":\"echo\"}");

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.isProblem()).isTrue();
        assertThat(api.queue.size()).isZero();
    }

    // --------------------------------------------------------------------------------------------- bad input

    static Stream<Arguments> badSubmissions() {
        String deep = "[".repeat(5_000) + "]".repeat(5_000);
        return Stream.of(
                bad("malformed JSON", "{\"type\": \"echo\"", "body"),
                bad("JSON followed by more", "{\"type\":\"echo\"} {}", "body"),
                bad("an array", "[{\"type\":\"echo\"}]", "body"),
                bad("a string", "\"echo\"", "body"),
                bad("null", "null", "body"),
                bad("an empty body", "", "body"),
                bad("nesting deeper than the parser allows", "{\"type\":\"echo\",\"payload\":" + deep + "}", "body"),
                bad("a payload nested deeper than 64 levels", "{\"type\":\"echo\",\"payload\":"
                        + "[".repeat(65) + "]".repeat(65) + "}", "payload"),
                bad("type missing", "{\"payload\":{}}", "type"),
                bad("type as a number", "{\"type\":5}", "type"),
                bad("an unknown type", "{\"type\":\"send-invoice\"}", "type"),
                bad("an unknown field", "{\"type\":\"echo\",\"colour\":\"blue\"}", "colour"),
                bad("maxAttempts as text", "{\"type\":\"echo\",\"maxAttempts\":\"3\"}", "maxAttempts"),
                bad("maxAttempts 0", "{\"type\":\"echo\",\"maxAttempts\":0}", "maxAttempts"),
                bad("maxAttempts 26", "{\"type\":\"echo\",\"maxAttempts\":26}", "maxAttempts"),
                bad("maxAttempts 2.5", "{\"type\":\"echo\",\"maxAttempts\":2.5}", "maxAttempts"),
                bad("timeoutSeconds 0", "{\"type\":\"echo\",\"timeoutSeconds\":0}", "timeoutSeconds"),
                bad("timeoutSeconds 871", "{\"type\":\"echo\",\"timeoutSeconds\":871}", "timeoutSeconds"),
                bad("timeoutSeconds beyond a long", "{\"type\":\"echo\",\"timeoutSeconds\":100000000000000000000}",
                        "timeoutSeconds"),
                bad("delaySeconds over a year", "{\"type\":\"echo\",\"delaySeconds\":31536001}", "delaySeconds"),
                bad("runAt without an offset", "{\"type\":\"echo\",\"runAt\":\"2027-01-31T09:00:00\"}", "runAt"),
                bad("runAt as a date only", "{\"type\":\"echo\",\"runAt\":\"2027-01-31\"}", "runAt"),
                bad("runAt as epoch seconds", "{\"type\":\"echo\",\"runAt\":1800000000}", "runAt"),
                bad("runAt on February 30th", "{\"type\":\"echo\",\"runAt\":\"2027-02-30T09:00:00Z\"}", "runAt"),
                bad("runAt more than a year ahead", "{\"type\":\"echo\",\"runAt\":\"2999-01-01T00:00:00Z\"}",
                        "runAt"),
                bad("runAt and delaySeconds both", "{\"type\":\"echo\",\"runAt\":\"2020-01-01T00:00:00Z\","
                        + "\"delaySeconds\":5}", "runAt"),
                bad("delaySeconds -1", "{\"type\":\"echo\",\"delaySeconds\":-1}", "delaySeconds"),
                bad("priority unknown", "{\"type\":\"echo\",\"priority\":\"urgent\"}", "priority"),
                bad("priority as a number", "{\"type\":\"echo\",\"priority\":1}", "priority"),
                bad("rateKey empty", "{\"type\":\"echo\",\"rateKey\":\"\"}", "rateKey"),
                bad("rateKey as a number", "{\"type\":\"echo\",\"rateKey\":42}", "rateKey"),
                bad("rateKey of 256 characters", "{\"type\":\"echo\",\"rateKey\":\"" + "k".repeat(256) + "\"}",
                        "rateKey"),
                bad("rateKey with a newline", "{\"type\":\"echo\",\"rateKey\":\"a\\nb\"}", "rateKey"),
                bad("callbackUrl as a number", "{\"type\":\"echo\",\"callbackUrl\":7}", "callbackUrl"),
                bad("callbackUrl relative", "{\"type\":\"echo\",\"callbackUrl\":\"/hooks\"}", "callbackUrl"),
                bad("callbackUrl not http", "{\"type\":\"echo\",\"callbackUrl\":\"ftp://example.com/x\"}", "callbackUrl"),
                bad("callbackUrl with a space", "{\"type\":\"echo\",\"callbackUrl\":\"https://exa mple.com\"}",
                        "callbackUrl"),
                bad("callbackUrl to a private address", "{\"type\":\"echo\",\"callbackUrl\":\"https://169.254.169.254/latest\"}",
                        "callbackUrl"),
                bad("callbackUrl over plain http", "{\"type\":\"echo\",\"callbackUrl\":\"http://example.com/x\"}",
                        "callbackUrl"),
                bad("callbackUrl with a port past 65535", "{\"type\":\"echo\",\"callbackUrl\":\"https://example.com:99999/x\"}",
                        "callbackUrl"),
                bad("callbackUrl to an IPv6 form of the metadata address",
                        "{\"type\":\"echo\",\"callbackUrl\":\"https://[64:ff9b::a9fe:a9fe]/x\"}", "callbackUrl"),
                bad("http job to the metadata address", "{\"type\":\"http\",\"payload\":{\"url\":"
                        + "\"https://169.254.169.254/latest/meta-data\"}}", "payload.url"),
                bad("http job over plain http", "{\"type\":\"http\",\"payload\":{\"url\":\"http://example.com/\"}}",
                        "payload.url"),
                bad("http job without a url", "{\"type\":\"http\",\"payload\":{\"method\":\"GET\"}}", "payload.url"),
                bad("a duplicated key", "{\"type\":\"echo\",\"type\":\"sleep\"}", "body"),
                bad("a number past a double's range", "{\"type\":\"echo\",\"payload\":{\"n\":1e309}}", "body"),
                bad("an unpaired surrogate", "{\"type\":\"echo\",\"payload\":{\"s\":\"\\ud800\"}}", "body"),
                bad("callbackUrl too long", "{\"type\":\"echo\",\"callbackUrl\":\"https://example.com/"
                        + "a".repeat(2100) + "\"}", "callbackUrl"));
    }

    private static Arguments bad(String what, String body, String field) {
        return Arguments.of(what, body, field);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSubmissions")
    void POST_jobs_with_bad_input_gives_400_naming_the_field_and_changes_nothing(String what, String body,
                                                                                 String field) {
        HttpResult response = api.submit(TENANT, body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.isProblem()).isTrue();
        assertThat(response.errorFields()).containsExactly(field);
        assertNothingAccepted();
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded",
            "application/json; charset=latin1", "application/jsonp"})
    void POST_jobs_with_a_body_that_is_not_sent_as_json_gives_415_naming_the_content_type(String contentType) {
        HttpResult response = api.submit(TENANT, "{\"type\":\"echo\"}", Map.of("content-type", contentType));

        assertThat(response.status()).isEqualTo(415);
        assertThat(response.isProblem()).isTrue();
        assertThat(response.errorFields()).containsExactly("Content-Type");
        assertThat(response.json().get("detail").asText()).contains(contentType);
        assertNothingAccepted();
    }

    @Test
    void POST_jobs_without_a_content_type_gives_415() {
        var event = ApiHarness.request("POST", "/v1/jobs", "/v1/jobs", TENANT, null, null, Map.of(), "{\"type\":\"echo\"}");
        event.getHeaders().remove("content-type");

        HttpResult response = api.send(event);

        assertThat(response.status()).isEqualTo(415);
        assertThat(response.json().get("detail").asText()).contains("named no Content-Type");
        assertNothingAccepted();
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"application/json; charset=UTF-8",
            "Application/JSON", "application/vnd.acme+json"})
    void POST_jobs_as_json_in_any_spelling_is_accepted(String contentType) {
        assertThat(api.submit(TENANT, "{\"type\":\"echo\"}", Map.of("content-type", contentType)).status())
                .isEqualTo(202);
    }

    @Test
    void POST_jobs_with_50000_unknown_fields_gives_a_small_400_that_lists_20_and_counts_the_rest() {
        var body = new StringBuilder("{\"type\":\"echo\"");
        for (int i = 0; i < 50_000; i++) {
            body.append(",\"f").append(i).append("\":1");
        }
        HttpResult response = api.submit(TENANT, body.append('}').toString());

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorFields()).hasSize(ApiProblem.MAX_LISTED_ERRORS).startsWith("f0", "f1");
        assertThat(response.json().get("errorsOmitted").asInt()).isEqualTo(50_000 - ApiProblem.MAX_LISTED_ERRORS);
        assertThat(response.json().get("detail").asText()).startsWith("50000 fields are invalid: [f0, f1,")
                .endsWith("and 49980 more");
        assertThat(response.body().length()).as("bytes, not megabytes").isLessThan(10_000);
        assertNothingAccepted();
    }

    @Test
    void POST_jobs_with_a_payload_nested_64_levels_deep_is_accepted() {
        HttpResult response = api.submit(TENANT, "{\"type\":\"echo\",\"payload\":" + "[".repeat(64) + "]".repeat(64)
                + "}");

        assertThat(response.status()).isEqualTo(202);
    }

    @Test
    void POST_jobs_with_unknown_type_gives_400_naming_the_known_types() {
        HttpResult response = api.submit(TENANT, "{\"type\":\"send-invoice\"}");

        assertThat(response.status()).isEqualTo(400);
        String message = response.json().get("errors").get(0).get("message").asText();
        assertThat(message).contains("send-invoice").contains("[echo, fail, http, sleep]");
    }

    @Test
    void POST_jobs_with_several_wrong_fields_names_every_one() {
        HttpResult response = api.submit(TENANT, "{\"type\":\"nope\",\"maxAttempts\":0,\"delaySeconds\":\"soon\","
                + "\"extra\":true}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorFields()).containsExactlyInAnyOrder("type", "maxAttempts", "delaySeconds", "extra");
        assertNothingAccepted();
    }

    @Test
    void POST_jobs_with_a_payload_over_256_KiB_gives_413_and_changes_nothing() {
        String payload = "\"" + "x".repeat(256 * 1024 - 1) + "\"";

        HttpResult response = api.submit(TENANT, "{\"type\":\"echo\",\"payload\":" + payload + "}");

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.isProblem()).isTrue();
        assertThat(response.errorFields()).containsExactly("payload");
        assertThat(response.json().get("detail").asText()).contains("262145 bytes").contains("256 KiB");
        assertNothingAccepted();
    }

    @Test
    void POST_jobs_with_a_payload_of_exactly_256_KiB_is_accepted() {
        String payload = "\"" + "x".repeat(256 * 1024 - 2) + "\"";

        HttpResult response = api.submit(TENANT, "{\"type\":\"echo\",\"payload\":" + payload + "}");

        assertThat(response.status()).isEqualTo(202);
    }

    @Test
    void POST_jobs_with_an_Idempotency_Key_over_255_characters_gives_400() {
        HttpResult response = api.submit(TENANT, "{\"type\":\"echo\"}", Map.of("Idempotency-Key", "k".repeat(256)));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorFields()).containsExactly("Idempotency-Key");
        assertNothingAccepted();
    }

    // ---------------------------------------------------------------------------------------- idempotency

    @Test
    void POST_jobs_again_with_the_same_Idempotency_Key_and_body_gives_200_and_the_same_job() {
        String body = "{\"type\":\"echo\",\"payload\":{\"orderId\":7}}";
        HttpResult first = api.submit(TENANT, body, Map.of("Idempotency-Key", "order-7"));
        api.clock.advance(Duration.ofMinutes(5));

        HttpResult again = api.submit(TENANT, body, Map.of("Idempotency-Key", "order-7"));

        assertThat(first.status()).isEqualTo(202);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.header("idempotent-replayed")).isEqualTo("true");
        assertThat(again.jobId()).isEqualTo(first.jobId());
        assertThat(again.header("location")).isEqualTo("/v1/jobs/" + first.jobId());
        assertThat(api.jobsOf(TENANT)).hasSize(1);
        assertThat(api.queue.size()).as("one message for one job").isEqualTo(1);
        assertThat(api.get(TENANT, first.jobId()).json().get("idempotencyKey").asText()).isEqualTo("order-7");
    }

    @Test
    void POST_jobs_again_with_the_same_Idempotency_Key_and_the_same_request_laid_out_differently_is_a_replay() {
        HttpResult first = api.submit(TENANT, "{\"type\":\"echo\",\"maxAttempts\":3,\"payload\":{\"a\":1}}",
                Map.of("Idempotency-Key", "k-1"));

        HttpResult again = api.submit(TENANT, "{ \"payload\" : { \"a\" : 1 },\n \"type\" : \"echo\" }",
                Map.of("Idempotency-Key", "k-1"));

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.jobId()).isEqualTo(first.jobId());
    }

    @Test
    void POST_jobs_again_with_the_same_Idempotency_Key_and_the_payloads_keys_in_another_order_is_a_replay() {
        HttpResult first = api.submit(TENANT, "{\"type\":\"echo\",\"payload\":{\"a\":1,\"b\":{\"c\":2,\"d\":[{\"e\":3,\"f\":4}]}}}",
                Map.of("Idempotency-Key", "k-order"));

        HttpResult again = api.submit(TENANT, "{\"type\":\"echo\",\"payload\":{\"b\":{\"d\":[{\"f\":4,\"e\":3}],\"c\":2},\"a\":1}}",
                Map.of("Idempotency-Key", "k-order"));

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.jobId()).isEqualTo(first.jobId());
    }

    @Test
    void POST_jobs_with_a_used_Idempotency_Key_and_a_different_body_gives_422_and_changes_nothing() {
        HttpResult first = api.submit(TENANT, "{\"type\":\"echo\",\"payload\":{\"orderId\":7}}",
                Map.of("Idempotency-Key", "order-7"));

        HttpResult reused = api.submit(TENANT, "{\"type\":\"echo\",\"payload\":{\"orderId\":8}}",
                Map.of("Idempotency-Key", "order-7"));

        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.isProblem()).isTrue();
        assertThat(reused.errorFields()).containsExactly("Idempotency-Key");
        assertThat(reused.json().get("detail").asText()).contains(first.jobId());
        assertThat(api.jobsOf(TENANT)).extracting(Job::jobId).containsExactly(first.jobId());
        assertThat(api.queue.size()).isEqualTo(1);
    }

    @Test
    void POST_jobs_with_an_Idempotency_Key_another_tenant_used_makes_a_new_job() {
        String body = "{\"type\":\"echo\"}";
        HttpResult theirs = api.submit("tenant-b", body, Map.of("Idempotency-Key", "same-key"));

        HttpResult mine = api.submit(TENANT, body, Map.of("Idempotency-Key", "same-key"));

        assertThat(mine.status()).isEqualTo(202);
        assertThat(mine.jobId()).isNotEqualTo(theirs.jobId());
        assertThat(api.jobsOf(TENANT)).extracting(Job::jobId).containsExactly(mine.jobId());
    }

    @Test
    void POST_jobs_with_an_Idempotency_Key_a_day_old_makes_a_new_job() {
        String body = "{\"type\":\"echo\"}";
        HttpResult first = api.submit(TENANT, body, Map.of("Idempotency-Key", "daily"));
        api.clock.advance(Duration.ofHours(24));

        HttpResult later = api.submit(TENANT, body, Map.of("Idempotency-Key", "daily"));

        assertThat(later.status()).isEqualTo(202);
        assertThat(later.jobId()).isNotEqualTo(first.jobId());
    }

    private void assertNothingAccepted() {
        assertThat(api.jobsOf(TENANT)).as("jobs stored").isEmpty();
        assertThat(api.queue.size()).as("messages sent").isZero();
    }

    /** The body of a normal-priority job's message with the default 60 s timeout. */
    private static String messageBody(String jobId) {
        return new JobMessage(jobId, 60, Priority.NORMAL, TENANT).toBody();
    }
}
