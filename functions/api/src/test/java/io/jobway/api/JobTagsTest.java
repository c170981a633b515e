package io.jobway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.api.ApiHarness.HttpResult;
import io.jobway.job.Job;
import io.jobway.job.JobSpec;
import io.jobway.json.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Tags on jobs: given on submit (one, a batch's item, a schedule's job), shown, kept, and listed by. */
class JobTagsTest {
    private static final String TENANT = "tenant-a";
    private final ApiHarness api = new ApiHarness();
    private final SubmitRequestParser parser = new SubmitRequestParser(ApiHarness.JOB_TYPES, ApiHarness.CLOUD_GUARD,
            api.clock);

    @Test
    void POST_jobs_with_tags_keeps_them_in_order_and_shows_them() {
        HttpResult response = api.submit(TENANT, "{\"type\":\"echo\",\"tags\":[\"user:42\",\"campaign/spring-2027\"]}");

        assertThat(response.status()).isEqualTo(202);
        assertThat(strings(response.json().get("tags"))).containsExactly("user:42", "campaign/spring-2027");
        assertThat(api.store.find(response.jobId()).orElseThrow().tags())
                .containsExactly("user:42", "campaign/spring-2027");
    }

    @Test
    void a_job_without_tags_shows_an_empty_array() {
        HttpResult none = api.submit(TENANT, "{\"type\":\"echo\"}");
        HttpResult nullTags = api.submit(TENANT, "{\"type\":\"echo\",\"tags\":null}");
        HttpResult empty = api.submit(TENANT, "{\"type\":\"echo\",\"tags\":[]}");

        for (HttpResult response : List.of(none, nullTags, empty)) {
            assertThat(response.status()).isEqualTo(202);
            assertThat(response.json().get("tags").isArray()).isTrue();
            assertThat(response.json().get("tags")).isEmpty();
        }
        assertThat(api.get(TENANT, none.jobId()).json().get("tags")).isEmpty();
    }

    @Test
    void ten_tags_of_64_characters_each_of_every_allowed_character_are_accepted() {
        List<String> tags = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            tags.add(("Az09_.:@/-" + i).repeat(7).substring(0, 63) + i);
        }

        HttpResult response = api.submit(TENANT, "{\"type\":\"echo\",\"tags\":" + Json.write(Json.mapper()
                .valueToTree(tags)) + "}");

        assertThat(response.status()).as(response.body()).isEqualTo(202);
        assertThat(strings(response.json().get("tags"))).containsExactlyElementsOf(tags);
    }

    static Stream<Arguments> badTags() {
        return Stream.of(
                Arguments.of("tags as a string", "\"user:42\"", "tags"),
                Arguments.of("tags as an object", "{\"user\":42}", "tags"),
                Arguments.of("eleven tags", "[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\",\"j\",\"k\"]",
                        "tags"),
                Arguments.of("an empty tag", "[\"ok\",\"\"]", "tags[1]"),
                Arguments.of("a tag of 65 characters", "[\"" + "t".repeat(65) + "\"]", "tags[0]"),
                Arguments.of("a tag with a space", "[\"user 42\"]", "tags[0]"),
                Arguments.of("a tag with a hash", "[\"user#42\"]", "tags[0]"),
                Arguments.of("a tag with a comma", "[\"a,b\"]", "tags[0]"),
                Arguments.of("a tag with a letter beyond ASCII", "[\"us\u00e9r\"]", "tags[0]"),
                Arguments.of("a tag as a number", "[\"ok\",42]", "tags[1]"),
                Arguments.of("a null tag", "[null]", "tags[0]"),
                Arguments.of("a tag repeated", "[\"user:42\",\"x\",\"user:42\"]", "tags[2]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTags")
    void POST_jobs_with_a_wrong_tag_gives_400_naming_it_and_changes_nothing(String what, String tags, String field) {
        HttpResult response = api.submit(TENANT, "{\"type\":\"echo\",\"tags\":" + tags + "}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.isProblem()).isTrue();
        assertThat(response.errorFields()).containsExactly(field);
        assertThat(api.jobsOf(TENANT)).isEmpty();
    }

    @Test
    void a_batch_item_with_a_wrong_tag_is_its_own_400_naming_the_tag_and_the_others_keep_theirs() {
        HttpResult response = api.send(ApiHarness.request("POST", "/v1/jobs/batch", "/v1/jobs/batch", TENANT, null,
                null, Map.of(), "{\"jobs\":[{\"type\":\"echo\",\"tags\":[\"user:42\"]},"
                        + "{\"type\":\"echo\",\"tags\":[\"ok\",\"not ok\"]}]}"));

        assertThat(response.status()).isEqualTo(200);
        JsonNode items = response.json().get("items");
        assertThat(items.get(0).get("status").asInt()).isEqualTo(202);
        assertThat(strings(items.get(0).get("job").get("tags"))).containsExactly("user:42");
        assertThat(items.get(1).get("status").asInt()).isEqualTo(400);
        assertThat(items.get(1).get("error").get("errors").get(0).get("field").asText()).isEqualTo("tags[1]");
    }

    @Test
    void a_schedules_job_takes_tags_and_a_wrong_one_is_named_job_tags_i() {
        JobSpec spec = parser.parseScheduledJob(Json.parse("{\"type\":\"echo\",\"tags\":[\"nightly\",\"user:42\"]}"));
        ApiProblem problem = catchThrowableOfType(ApiProblem.class,
                () -> parser.parseScheduledJob(Json.parse("{\"type\":\"echo\",\"tags\":[\"nightly\",\"a b\"]}")));

        assertThat(spec.tags()).containsExactly("nightly", "user:42");
        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.errors()).extracting(ApiProblem.FieldError::field).containsExactly("job.tags[1]");
    }

    @Test
    void a_batch_item_parsed_alone_keeps_its_tags_with_its_key() {
        JobSpec spec = parser.parseBatchItem(
                Json.parse("{\"type\":\"echo\",\"tags\":[\"t1\"],\"idempotencyKey\":\"k\"}"), null);

        assertThat(spec.tags()).containsExactly("t1");
        assertThat(spec.idempotencyKey()).isEqualTo("k");
    }

    @Test
    void the_same_Idempotency_Key_with_the_same_tags_in_another_order_replays_and_with_other_tags_is_a_422() {
        Map<String, String> key = Map.of("Idempotency-Key", "order-9");
        HttpResult first = api.submit(TENANT, "{\"type\":\"echo\",\"tags\":[\"a\",\"b\"]}", key);
        HttpResult reordered = api.submit(TENANT, "{\"type\":\"echo\",\"tags\":[\"b\",\"a\"]}", key);
        HttpResult other = api.submit(TENANT, "{\"type\":\"echo\",\"tags\":[\"a\",\"c\"]}", key);
        HttpResult none = api.submit(TENANT, "{\"type\":\"echo\"}", key);

        assertThat(first.status()).isEqualTo(202);
        assertThat(reordered.status()).isEqualTo(200);
        assertThat(reordered.jobId()).isEqualTo(first.jobId());
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.errorFields()).containsExactly("Idempotency-Key");
        assertThat(none.status()).as("no tags is another request too").isEqualTo(422);
        assertThat(api.jobsOf(TENANT)).hasSize(1);
    }

    @Test
    void a_key_used_without_tags_still_replays_a_request_without_tags() {
        Map<String, String> key = Map.of("Idempotency-Key", "order-10");
        HttpResult first = api.submit(TENANT, "{\"type\":\"echo\"}", key);
        HttpResult again = api.submit(TENANT, "{\"type\":\"echo\",\"tags\":[]}", key);

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.jobId()).isEqualTo(first.jobId());
    }

    @Test
    void GET_jobs_with_a_tag_lists_only_the_tenants_jobs_carrying_it_with_the_other_filters() {
        String tagged = api.submit(TENANT, "{\"type\":\"echo\",\"tags\":[\"user:42\"]}").jobId();
        String taggedSleep = api.submit(TENANT, "{\"type\":\"sleep\",\"tags\":[\"x\",\"user:42\"]}").jobId();
        api.submit(TENANT, "{\"type\":\"echo\",\"tags\":[\"user:43\"]}");
        api.submit(TENANT, "{\"type\":\"echo\"}");
        api.submit("tenant-b", "{\"type\":\"echo\",\"tags\":[\"user:42\"]}");

        assertThat(ids(api.list(TENANT, Map.of("tag", "user:42")))).containsExactly(taggedSleep, tagged);
        assertThat(ids(api.list(TENANT, Map.of("tag", "user:42", "type", "echo")))).containsExactly(tagged);
        assertThat(ids(api.list(TENANT, Map.of("tag", "user:4")))).as("a tag is matched whole").isEmpty();
        assertThat(ids(api.list(TENANT, Map.of("tag", "nobody")))).isEmpty();
    }

    @Test
    void GET_jobs_with_a_tag_pages_through_every_tagged_job_once() {
        List<String> tagged = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            tagged.add(0, api.submit(TENANT, "{\"type\":\"echo\",\"tags\":[\"page\"]}").jobId());
            api.submit(TENANT, "{\"type\":\"echo\"}");
        }

        List<String> visited = new ArrayList<>();
        Map<String, String> query = new HashMap<>(Map.of("limit", "3", "tag", "page"));
        for (int page = 0; page < 10; page++) {
            HttpResult response = api.list(TENANT, query);
            visited.addAll(ids(response));
            JsonNode cursor = response.json().get("nextCursor");
            if (cursor.isNull()) {
                break;
            }
            query.put("cursor", cursor.asText());
        }

        assertThat(visited).containsExactlyElementsOf(tagged);
    }

    @Test
    void GET_jobs_with_a_wrong_tag_gives_400_naming_tag() {
        HttpResult response = api.list(TENANT, Map.of("tag", "not a tag"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorFields()).containsExactly("tag");
    }

    @Test
    void a_follow_up_spec_keeps_its_tags_through_the_specs_copies() {
        JobSpec spec = new JobSpec("echo", null, 3, 60, 0, null, null).withTags(List.of("user:42"));

        assertThat(spec.withIdempotencyKey("k").withRateKey("r").withPriority(null).withRunAt(null).tags())
                .containsExactly("user:42");
        assertThat(Set.copyOf(Job.submit("01900000-0000-7000-8000-000000000001", TENANT, spec, api.clock.instant())
                .tags())).containsExactly("user:42");
    }

    private static List<String> ids(HttpResult response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        response.json().get("items").forEach(item -> ids.add(item.get("jobId").asText()));
        return ids;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
