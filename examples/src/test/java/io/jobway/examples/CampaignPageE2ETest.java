package io.jobway.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobway.examples.campaign.web.CampaignBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The campaign example as a web page: the page and its backend stand-in at /examples/campaign/ on the local
 * runtime, driven in Debian's Chromium by dashboard/test/campaign.spec.mjs (Playwright; both installed by
 * ./jobway test): a click on "generate campaign", each step drawn live, the result, and no API key in the page.
 * Its screenshots are kept in examples/target/campaign-page.
 */
class CampaignPageE2ETest {
    private static final Path TESTS = Path.of("..", "dashboard", "test").toAbsolutePath().normalize();
    private static final Path SHOTS = Path.of("target", "campaign-page").toAbsolutePath();
    private static final String PAGE = "/examples/campaign/";
    private static ExampleStack stack;

    @BeforeAll
    static void serve() {
        stack = ExampleStack.shared();
        stack.runtime.serve(PAGE, new CampaignBackend(stack.runtime.baseUrl(),
                stack.runtime.webSocketUrl().orElseThrow(), ExampleStack.KEY));
    }

    @Test
    void a_click_on_generate_shows_each_step_live_and_then_the_campaign_in_chromium() throws Exception {
        assertThat(TESTS.resolve("node_modules/playwright-core")).as("installed by ./jobway test").exists();
        Files.createDirectories(SHOTS);
        Path output = SHOTS.resolve("output.txt");
        Process run = new ProcessBuilder(List.of("node", "campaign.spec.mjs", stack.runtime.baseUrl() + PAGE,
                SHOTS.toString())).directory(TESTS.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        assertThat(run.waitFor(3, TimeUnit.MINUTES)).as("the browser run ends").isTrue();

        assertThat(run.exitValue()).as(Files.readString(output)).isZero();
        assertThat(Files.readString(output)).contains("every check held");
        assertThat(List.of("campaign-running.png", "campaign.png")).allSatisfy(shot ->
                assertThat(SHOTS.resolve(shot)).isNotEmptyFile());
    }

    @Test
    void the_backend_stand_in_names_what_is_wrong_with_a_request_and_submits_nothing() {
        int before = stack.get("/v1/jobs?type=campaign&limit=100").json().get("items").size();

        var tooBig = stack.post(PAGE + "api/campaigns", "{\"name\":\"x\",\"audience\":\"fintech\",\"size\":5000}",
                Map.of(), false);
        var noName = stack.post(PAGE + "api/campaigns", "{\"name\":\" \",\"audience\":\"fintech\",\"size\":5}",
                Map.of(), false);
        var notJson = stack.post(PAGE + "api/campaigns", "{", Map.of(), false);

        assertThat(tooBig.status()).isEqualTo(400);
        assertThat(tooBig.json().get("detail").asText()).startsWith("size:");
        assertThat(noName.json().get("detail").asText()).startsWith("name:");
        assertThat(notJson.json().get("detail").asText()).contains("not JSON");
        assertThat(stack.get(PAGE + "api/campaigns").status()).isEqualTo(405);
        assertThat(stack.get("/v1/jobs?type=campaign&limit=100").json().get("items")).hasSize(before);
    }

    @Test
    void the_backend_answers_a_job_and_a_token_that_reads_only_that_job() {
        var answer = stack.post(PAGE + "api/campaigns",
                "{\"name\":\"Token check\",\"audience\":\"retail\",\"size\":10}", Map.of(), false);
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        String token = answer.json().get("token").asText();
        String jobId = answer.json().get("jobId").asText();
        assertThat(token).startsWith("jwb_");

        var own = stack.getWith("/v1/jobs/" + jobId, token);
        var list = stack.getWith("/v1/jobs", token);
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.json().get("type").asText()).isEqualTo("campaign");
        assertThat(list.status()).isEqualTo(403);
    }
}
