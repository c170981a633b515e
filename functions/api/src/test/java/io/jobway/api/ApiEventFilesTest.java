package io.jobway.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.jobway.api.ApiHarness.HttpResult;
import io.jobway.fixtures.Jobs;
import io.jobway.fixtures.LambdaEvents;
import io.jobway.job.Job;
import io.jobway.job.JobStatus;
import io.jobway.job.Priority;
import io.jobway.queue.JobMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The sample HTTP API events in events/, sent to the function as Lambda hands them over: as bytes. */
class ApiEventFilesTest {
    private static final String TENANT = "tenant-sample";
    private final ApiHarness api = new ApiHarness();

    @Test
    void api_submit_json_gives_202_and_replays_when_sent_again() {
        HttpResult first = api.send(raw("api-submit.json"));
        HttpResult again = api.send(raw("api-submit.json"));

        assertThat(first.status()).isEqualTo(202);
        Job job = api.store.find(first.jobId()).orElseThrow();
        assertThat(job.tenantId()).isEqualTo(TENANT);
        assertThat(job.type()).isEqualTo("echo");
        assertThat(job.payload()).isEqualTo("{\"orderId\":1042,\"email\":\"ada@example.com\"}");
        assertThat(job.idempotencyKey()).isEqualTo("order-1042-receipt");
        assertThat(api.visibleMessages()).containsExactly(new JobMessage(job.jobId(), 30, Priority.NORMAL, TENANT).toBody());
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.header("idempotent-replayed")).isEqualTo("true");
        assertThat(again.jobId()).isEqualTo(first.jobId());
    }

    @Test
    void api_get_json_gives_200_with_the_job() {
        APIGatewayV2HTTPEvent event = load("api-get.json");
        String id = event.getPathParameters().get("id");
        api.store.create(Jobs.aQueuedJob(api.clock.instant()).jobId(id).tenantId(TENANT).build());

        HttpResult response = api.send(raw("api-get.json"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.jobId()).isEqualTo(id);
    }

    @Test
    void api_get_json_gives_404_when_the_job_belongs_to_another_tenant() {
        APIGatewayV2HTTPEvent event = load("api-get.json");
        api.store.create(Jobs.aQueuedJob(api.clock.instant()).jobId(event.getPathParameters().get("id"))
                .tenantId("someone-else").build());

        assertThat(api.send(raw("api-get.json")).status()).isEqualTo(404);
    }

    @Test
    void api_list_json_gives_200_with_the_queued_jobs_of_its_tenant() {
        Job queued = Jobs.aQueuedJob(api.clock.instant()).tenantId(TENANT).build();
        api.store.create(queued);
        api.store.create(Jobs.aDeadJob(api.clock.instant()).tenantId(TENANT).build());
        api.store.create(Jobs.aQueuedJob(api.clock.instant()).tenantId("someone-else").build());

        HttpResult response = api.send(raw("api-list.json"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("items")).hasSize(1);
        assertThat(response.json().get("items").get(0).get("jobId").asText()).isEqualTo(queued.jobId());
    }

    @Test
    void api_cancel_json_gives_200_for_a_queued_job() {
        APIGatewayV2HTTPEvent event = load("api-cancel.json");
        String id = event.getPathParameters().get("id");
        api.store.create(Jobs.aQueuedJob(api.clock.instant()).jobId(id).tenantId(TENANT).build());

        HttpResult response = api.send(raw("api-cancel.json"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(api.store.find(id).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
    }

    @Test
    void api_retry_json_gives_202_for_a_dead_job() {
        APIGatewayV2HTTPEvent event = load("api-retry.json");
        String id = event.getPathParameters().get("id");
        api.store.create(Jobs.aDeadJob(api.clock.instant()).jobId(id).tenantId(TENANT).build());

        HttpResult response = api.send(raw("api-retry.json"));

        assertThat(response.status()).isEqualTo(202);
        assertThat(api.store.find(id).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(api.queue.size()).isEqualTo(1);
    }

    @Test
    void api_health_json_gives_200_without_an_authorizer() {
        APIGatewayV2HTTPEvent event = load("api-health.json");

        HttpResult response = api.send(raw("api-health.json"));

        assertThat(event.getRequestContext().getAuthorizer()).isNull();
        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void the_sample_events_carry_the_tenant_where_the_authorizer_puts_it() {
        for (String file : new String[] {"api-submit.json", "api-get.json", "api-list.json", "api-cancel.json",
                "api-retry.json"}) {
            APIGatewayV2HTTPEvent event = load(file);
            assertThat(event.getRequestContext().getAuthorizer().getLambda()).as(file).containsEntry("tenantId", TENANT);
            assertThat(event.getRouteKey()).as(file).isEqualTo(event.getRequestContext().getRouteKey());
        }
    }

    /** The file's bytes, as Lambda hands them to the function. */
    private static byte[] raw(String file) {
        try {
            return Files.readAllBytes(LambdaEvents.path(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file as Lambda's runtime serializer reads it, to look into it. */
    private static APIGatewayV2HTTPEvent load(String file) {
        return LambdaEvents.load(file, APIGatewayV2HTTPEvent.class);
    }
}
