package io.jobway.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobway.api.ApiHarness.HttpResult;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiRoutesTest {
    private final ApiHarness api = new ApiHarness();

    @Test
    void GET_health_gives_200_without_a_tenant() {
        HttpResult response = api.health();

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("status").asText()).isEqualTo("ok");
    }

    @Test
    void GET_health_gives_503_when_a_dependency_is_down() {
        api.health.healthy = false;

        HttpResult response = api.health();

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.json().get("status").asText()).isEqualTo("degraded");
    }

    @Test
    void every_job_route_without_a_tenant_gives_401() {
        String id = "019ca944-1fa0-71e7-a029-37d651c9bc70";

        assertThat(api.list(null, Map.of()).status()).isEqualTo(401);
        assertThat(api.get(null, id).status()).isEqualTo(401);
        assertThat(api.cancel(null, id).status()).isEqualTo(401);
        assertThat(api.retry(null, id).status()).isEqualTo(401);
        assertThat(api.list(null, Map.of()).isProblem()).isTrue();
    }

    @Test
    void an_unknown_route_gives_404_problem() {
        HttpResult response = api.send(ApiHarness.request("DELETE", "/v1/jobs/{id}", "/v1/jobs/x", "tenant-a",
                Map.of("id", "x"), null, Map.of(), null));

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.isProblem()).isTrue();
        assertThat(response.json().get("instance").asText()).isEqualTo("/v1/jobs/x");
    }
}
