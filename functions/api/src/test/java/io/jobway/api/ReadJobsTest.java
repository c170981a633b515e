package io.jobway.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.api.ApiHarness.HttpResult;
import io.jobway.fixtures.Jobs;
import io.jobway.job.Attempt;
import io.jobway.job.Job;
import io.jobway.job.JobError;
import io.jobway.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReadJobsTest {
    private static final String TENANT = "tenant-a";
    private static final String OTHER = "tenant-b";
    private final ApiHarness api = new ApiHarness();

    // ------------------------------------------------------------------------------------------------ GET one

    @Test
    void GET_own_job_gives_200_with_its_public_view() {
        String id = submit(TENANT, "echo");

        HttpResult response = api.get(TENANT, id);

        assertThat(response.status()).isEqualTo(200);
        JsonNode job = response.json();
        assertThat(job.get("jobId").asText()).isEqualTo(id);
        assertThat(job.get("status").asText()).isEqualTo("queued");
        assertThat(job.has("tenantId")).as("no internals").isFalse();
        assertThat(job.has("leaseToken")).isFalse();
        assertThat(job.has("version")).isFalse();
    }

    @Test
    void GET_a_job_that_failed_shows_its_error_with_the_stack_and_each_attempt_with_its_times_and_outcome() {
        Instant t = api.clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Job job = Jobs.aRunningJob(t).tenantId(TENANT).attempt(2)
                .lastError(new JobError("boom", "IllegalStateException", t, "java.lang.IllegalStateException: boom\n"))
                .attempts(List.of(new Attempt(1, t.minusSeconds(9), t.minusSeconds(8), Attempt.Outcome.FAILED,
                        "IllegalStateException", "boom"), new Attempt(2, t, null, null, null, null)))
                .build();
        api.store.create(job);

        JsonNode shown = api.get(TENANT, job.jobId()).json();

        assertThat(shown.get("error").get("stack").asText()).isEqualTo("java.lang.IllegalStateException: boom\n");
        assertThat(shown.get("attempts")).hasSize(2);
        assertThat(shown.get("attempts").get(0)).isEqualTo(Json.parse("{\"attempt\":1,\"startedAt\":\""
                + t.minusSeconds(9) + "\",\"finishedAt\":\"" + t.minusSeconds(8) + "\",\"outcome\":\"failed\","
                + "\"error\":{\"type\":\"IllegalStateException\",\"message\":\"boom\"}}"));
        assertThat(shown.get("attempts").get(1)).isEqualTo(Json.parse("{\"attempt\":2,\"startedAt\":\"" + t
                + "\",\"finishedAt\":null,\"outcome\":\"running\",\"error\":null}"));
    }

    @Test
    void GET_a_job_not_yet_run_shows_no_attempts() {
        String id = submit(TENANT, "echo");

        JsonNode shown = api.get(TENANT, id).json();

        assertThat(shown.get("attempts").isArray()).isTrue();
        assertThat(shown.get("attempts")).isEmpty();
    }

    @Test
    void GET_a_job_whose_error_had_no_exception_shows_its_stack_null() {
        Job timedOut = Jobs.aDeadJob(api.clock.instant()).tenantId(TENANT).lastError(new JobError(
                "attempt 3 did not finish within 60 s", JobError.TIMEOUT, api.clock.instant())).build();
        api.store.create(timedOut);

        JsonNode error = api.get(TENANT, timedOut.jobId()).json().get("error");

        assertThat(error.get("type").asText()).isEqualTo("JobTimeout");
        assertThat(error.get("stack").isNull()).isTrue();
    }

    @Test
    void GET_another_tenants_job_gives_404_exactly_like_a_job_that_does_not_exist() {
        String theirs = submit(OTHER, "echo");
        String missing = Jobs.newJobId();

        HttpResult forTheirs = api.get(TENANT, theirs);
        HttpResult forMissing = api.get(TENANT, missing);

        assertThat(forTheirs.status()).isEqualTo(404);
        assertThat(forMissing.status()).isEqualTo(404);
        assertThat(forTheirs.isProblem()).isTrue();
        assertThat(forTheirs.headers()).isEqualTo(forMissing.headers());
        assertThat(forTheirs.body().replace(theirs, "{id}")).isEqualTo(forMissing.body().replace(missing, "{id}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nope", "019CA944-1FA0-71E7-A029-37D651C9BC70", "..%2F..%2Fetc"})
    void GET_a_job_id_that_is_not_a_job_id_gives_404(String id) {
        HttpResult response = api.get(TENANT, id);

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.isProblem()).isTrue();
    }

    // --------------------------------------------------------------------------------------------------- list

    @Test
    void GET_jobs_lists_own_jobs_newest_first() {
        String first = submit(TENANT, "echo");
        String second = submit(TENANT, "sleep");
        submit(OTHER, "echo");
        String third = submit(TENANT, "echo");

        HttpResult response = api.list(TENANT, Map.of());

        assertThat(response.status()).isEqualTo(200);
        assertThat(ids(response)).containsExactly(third, second, first);
        assertThat(response.json().get("nextCursor").isNull()).isTrue();
    }

    /**
     * A job stored before submits were held to a nesting depth (or written by other means) must not take its
     * tenant's listing down: the listing nests the payload two levels deeper than it was stored.
     */
    @Test
    void GET_jobs_answers_even_when_a_stored_payload_is_nested_as_deep_as_the_parser_allows() {
        String deep = "[".repeat(998) + "]".repeat(998);
        api.store.create(Jobs.aQueuedJob(api.clock.instant()).tenantId(TENANT).payload(deep).build());
        String ordinary = submit(TENANT, "echo");

        HttpResult response = api.list(TENANT, Map.of());

        assertThat(response.status()).isEqualTo(200);
        assertThat(ids(response)).hasSize(2).contains(ordinary);
        // both ids carry the same millisecond (the test clock stands still), so their order is not fixed
        JsonNode stored = java.util.stream.StreamSupport.stream(response.json().get("items").spliterator(), false)
                .filter(item -> !item.get("jobId").asText().equals(ordinary)).findFirst().orElseThrow();
        assertThat(stored.get("payload").asText()).as("the stored text, as a string").isEqualTo(deep);
    }

    @Test
    void GET_jobs_filters_by_status_and_by_type() {
        String echo = submit(TENANT, "echo");
        String sleep = submit(TENANT, "sleep");
        String cancelledSleep = submit(TENANT, "sleep");
        assertThat(api.cancel(TENANT, cancelledSleep).status()).isEqualTo(200);

        assertThat(ids(api.list(TENANT, Map.of("status", "cancelled")))).containsExactly(cancelledSleep);
        assertThat(ids(api.list(TENANT, Map.of("status", "queued")))).containsExactly(sleep, echo);
        assertThat(ids(api.list(TENANT, Map.of("type", "sleep")))).containsExactly(cancelledSleep, sleep);
        assertThat(ids(api.list(TENANT, Map.of("type", "sleep", "status", "queued")))).containsExactly(sleep);
        assertThat(ids(api.list(TENANT, Map.of("status", "dead")))).isEmpty();
    }

    @Test
    void GET_jobs_following_nextCursor_visits_every_job_once() {
        List<String> submitted = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            submitted.add(0, submit(TENANT, "echo"));
        }

        List<String> visited = new ArrayList<>();
        Map<String, String> query = new HashMap<>(Map.of("limit", "3"));
        for (int page = 0; page < 10; page++) {
            HttpResult response = api.list(TENANT, query);
            assertThat(response.status()).isEqualTo(200);
            assertThat(ids(response)).hasSizeLessThanOrEqualTo(3);
            visited.addAll(ids(response));
            JsonNode cursor = response.json().get("nextCursor");
            if (cursor.isNull()) {
                break;
            }
            query.put("cursor", cursor.asText());
        }

        assertThat(visited).containsExactlyElementsOf(submitted);
    }

    @Test
    void GET_jobs_limit_defaults_to_20_and_goes_up_to_100() {
        for (int i = 0; i < 25; i++) {
            submit(TENANT, "echo");
        }

        assertThat(ids(api.list(TENANT, Map.of()))).hasSize(20);
        assertThat(ids(api.list(TENANT, Map.of("limit", "100")))).hasSize(25);
        assertThat(ids(api.list(TENANT, Map.of("limit", "1")))).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "101", "-1", "ten", "1.5", ""})
    void GET_jobs_with_a_limit_outside_1_to_100_gives_400(String limit) {
        HttpResult response = api.list(TENANT, Map.of("limit", limit));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.isProblem()).isTrue();
        assertThat(response.errorFields()).containsExactly("limit");
    }

    @Test
    void GET_jobs_with_a_cursor_it_did_not_hand_out_gives_400() {
        String notAnId = Base64.getUrlEncoder().encodeToString("hello".getBytes(StandardCharsets.UTF_8));

        for (String cursor : List.of("!!!not-base64!!!", notAnId, "")) {
            HttpResult response = api.list(TENANT, Map.of("cursor", cursor));
            assertThat(response.status()).as("cursor '%s'", cursor).isEqualTo(400);
            assertThat(response.errorFields()).containsExactly("cursor");
        }
    }

    @Test
    void a_cursor_is_good_only_for_the_tenant_that_got_it_and_cannot_be_edited() {
        for (int i = 0; i < 3; i++) {
            submit(TENANT, "echo");
        }
        String cursor = api.list(TENANT, Map.of("limit", "1")).json().get("nextCursor").asText();
        String lastKey = cursor.substring(0, cursor.indexOf('.'));
        String otherId = Base64.getUrlEncoder().withoutPadding().encodeToString(
                submit(TENANT, "echo").getBytes(StandardCharsets.UTF_8));

        assertThat(api.list(TENANT, Map.of("cursor", cursor)).status()).isEqualTo(200);
        for (String refused : List.of(lastKey, otherId + cursor.substring(cursor.indexOf('.')),
                editFirstMacCharacter(cursor))) {
            HttpResult response = api.list(TENANT, Map.of("cursor", refused));
            assertThat(response.status()).as("edited cursor '%s'", refused).isEqualTo(400);
            assertThat(response.errorFields()).containsExactly("cursor");
        }
        HttpResult otherTenant = api.list("tenant-other", Map.of("cursor", cursor));
        assertThat(otherTenant.status()).isEqualTo(400);
        assertThat(otherTenant.errorFields()).containsExactly("cursor");
    }

    @Test
    void GET_jobs_with_an_unknown_status_gives_400_naming_the_known_ones() {
        HttpResult response = api.list(TENANT, Map.of("status", "finished"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorFields()).containsExactly("status");
        assertThat(response.json().get("errors").get(0).get("message").asText()).contains("succeeded");
    }

    @Test
    void GET_jobs_with_an_unknown_query_parameter_gives_400() {
        HttpResult response = api.list(TENANT, Map.of("sort", "oldest"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorFields()).containsExactly("sort");
    }

    private static String editFirstMacCharacter(String cursor) {
        int at = cursor.indexOf('.') + 1;
        return cursor.substring(0, at) + (cursor.charAt(at) == 'A' ? 'B' : 'A') + cursor.substring(at + 1);
    }

    private String submit(String tenant, String type) {
        api.clock.advance(Duration.ofMillis(5));
        HttpResult response = api.submit(tenant, "{\"type\":\"" + type + "\"" + (type.equals("sleep")
                ? ",\"payload\":{\"ms\":1}" : "") + "}");
        assertThat(response.status()).isEqualTo(202);
        return response.jobId();
    }

    private static List<String> ids(HttpResult response) {
        List<String> ids = new ArrayList<>();
        response.json().get("items").forEach(item -> ids.add(item.get("jobId").asText()));
        return ids;
    }
}
