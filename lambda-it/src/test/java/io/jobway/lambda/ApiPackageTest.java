package io.jobway.lambda;

import static io.jobway.lambda.Lambda.answer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/** ApiFunction's package under Lambda's runtime, restored from its SnapStart snapshot, fed events/api-*. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiPackageTest {
    private static final List<String> EVENTS = List.of("api-cancel.json", "api-get.json", "api-health.json",
            "api-list.json", "api-retry.json", "api-submit.json");
    private final Lambda lambda = Lambda.shared();
    private Instant started;
    private ExecutionEnvironment api;
    private String submitted;

    @BeforeAll
    void start() {
        started = Instant.now();
        api = ExecutionEnvironment.start(lambda.java, lambda.stack.function("ApiFunction"),
                ExecutionEnvironment.Init.SNAP_START);
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    @Order(0)
    void every_sample_event_of_the_api_is_sent_here() {
        assertThat(lambda.eventsOf("ApiFunction")).containsExactlyElementsOf(EVENTS);
    }

    @Test
    @Order(1)
    void GET_of_an_unknown_job_gives_404_with_a_problem_body() {
        JsonNode response = answer(api, lambda.event("api-get.json"));

        assertThat(response.get("statusCode").asInt()).isEqualTo(404);
        assertThat(response.at("/headers/content-type").asText()).isEqualTo("application/problem+json");
        JsonNode problem = Json.parse(response.get("body").asText());
        assertThat(problem.get("status").asInt()).isEqualTo(404);
        assertThat(problem.get("title").asText()).isEqualTo("Not found");
        assertThat(problem.get("detail").asText()).isEqualTo("no job 019ca944-1fa0-71e7-a029-37d651c9bc70");
        assertThat(problem.get("instance").asText()).isEqualTo("/v1/jobs/019ca944-1fa0-71e7-a029-37d651c9bc70");
        assertThat(response.has("multiValueHeaders")).as("the runtime leaves out null fields").isFalse();
    }

    @Test
    @Order(2)
    void cancel_and_retry_of_unknown_jobs_give_404() {
        for (String file : List.of("api-cancel.json", "api-retry.json")) {
            JsonNode response = answer(api, lambda.event(file));

            assertThat(response.get("statusCode").asInt()).as(file).isEqualTo(404);
            assertThat(Json.parse(response.get("body").asText()).get("detail").asText()).as(file).startsWith("no job ");
        }
    }

    @Test
    @Order(3)
    void submit_gives_202_with_a_location_and_the_same_key_replays_it() {
        // a key of this run: the sample key may already name a job of another test
        String event = lambda.event("api-submit.json").replace("order-1042-receipt", "lambda-it-" + UUID.randomUUID());

        JsonNode first = answer(api, event);
        JsonNode again = answer(api, event);

        assertThat(first.get("statusCode").asInt()).isEqualTo(202);
        JsonNode job = Json.parse(first.get("body").asText());
        submitted = job.get("jobId").asText();
        assertThat(first.at("/headers/location").asText()).isEqualTo("/v1/jobs/" + submitted);
        assertThat(job.get("status").asText()).isEqualTo("queued");
        assertThat(job.get("payload")).isEqualTo(Json.parse("{\"orderId\":1042,\"email\":\"ada@example.com\"}"));
        assertThat(lambda.messages("JobsQueue")).contains("{\"jobId\":\"" + submitted + "\",\"timeoutSeconds\":30,"
                + "\"tenantId\":\"" + Lambda.SAMPLE_TENANT + "\"}");
        assertThat(again.get("statusCode").asInt()).isEqualTo(200);
        assertThat(again.at("/headers/idempotent-replayed").asText()).isEqualTo("true");
        assertThat(Json.parse(again.get("body").asText()).get("jobId").asText()).isEqualTo(submitted);
    }

    @Test
    @Order(4)
    void the_job_id_comes_from_after_the_restore() {
        long idMillis = UUID.fromString(submitted).getMostSignificantBits() >>> 16;

        assertThat(Instant.ofEpochMilli(idMillis)).as("the UUIDv7 time of the first job id")
                .isAfterOrEqualTo(started.plus(api.restore()).minusMillis(1));
    }

    @Test
    @Order(5)
    void list_gives_the_queued_jobs_of_the_sample_tenant() {
        JsonNode response = answer(api, lambda.event("api-list.json"));

        assertThat(response.get("statusCode").asInt()).isEqualTo(200);
        JsonNode items = Json.parse(response.get("body").asText()).get("items");
        assertThat(items.findValuesAsText("jobId")).contains(submitted);
        assertThat(items.findValuesAsText("status")).containsOnly("queued");
    }

    @Test
    @Order(6)
    void health_reports_the_table_and_the_queue_ok() {
        JsonNode response = answer(api, lambda.event("api-health.json"));

        assertThat(response.get("statusCode").asInt()).isEqualTo(200);
        JsonNode health = Json.parse(response.get("body").asText());
        assertThat(health.get("status").asText()).isEqualTo("ok");
        assertThat(health.at("/dependencies/jobsTable/status").asText()).isEqualTo("ok");
        assertThat(health.at("/dependencies/jobsQueue/status").asText()).isEqualTo("ok");
    }

    @Test
    @Order(7)
    void it_was_primed_before_the_snapshot_and_fetched_credentials_only_after_the_restore() {
        SnapStart.assertPrimedWithoutCredentials(api, "ApiFunction");
        assertThat(api.credentialFetches()).as("the real calls did fetch credentials").isNotEmpty();
    }
}
