package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobway.local.LocalRuntime;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code jobway up --cloud-url-guard}: the local runtime with the cloud's URL guard (AllowPrivateCallbackUrls=false),
 * so that what AWS would refuse is refused here, when the job is submitted, for callbacks and http jobs both.
 */
class CloudUrlGuardE2ETest {
    private static LocalJobway jobway;

    @BeforeAll
    static void start() {
        jobway = LocalJobway.start(LocalRuntime.Options.inMemory(LocalJobway.templatePath())
                .withStackName("jobway-url-guard").withParameters(Map.of("AllowPrivateCallbackUrls", "false")));
    }

    @AfterAll
    static void stop() {
        jobway.close();
    }

    @Test
    void a_callback_to_this_machine_gets_400_naming_the_field_and_no_job_is_made() {
        var plainHttp = jobway.post("/v1/jobs", LocalJobway.KEY_A,
                "{\"type\":\"echo\",\"callbackUrl\":\"http://127.0.0.1:9/hook\"}");
        var loopback = jobway.post("/v1/jobs", LocalJobway.KEY_A,
                "{\"type\":\"echo\",\"callbackUrl\":\"https://[::ffff:127.0.0.1]:9/hook\"}");

        assertThat(plainHttp.status()).isEqualTo(400);
        assertThat(plainHttp.json().toString()).contains("callbackUrl").contains("must be an https URL");
        assertThat(loopback.status()).isEqualTo(400);
        assertThat(loopback.json().toString()).contains("callbackUrl").contains("not public (127.0.0.1)");
        assertThat(jobway.get("/v1/jobs", LocalJobway.KEY_A).json().get("items")).isEmpty();
    }

    @Test
    void an_http_job_to_the_metadata_address_gets_400_at_submit_not_a_failure_when_it_runs() {
        var response = jobway.post("/v1/jobs", LocalJobway.KEY_B,
                "{\"type\":\"http\",\"payload\":{\"url\":\"https://169.254.169.254/latest/meta-data/\"}}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().toString()).contains("payload.url").contains("169.254.169.254");
        assertThat(jobway.get("/v1/jobs", LocalJobway.KEY_B).json().get("items")).isEmpty();
    }
}
