package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobway.local.LocalRuntime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The template's per-tenant quotas, set as a deploy would set them: over a quota a tenant gets 429 with Retry-After
 * naming the quota, and nothing is written; another tenant is not held back by it.
 */
class QuotasE2ETest {
    private static final int JOBS_PER_DAY = 5;
    private static final int REQUESTS_PER_MINUTE = 40;
    private static LocalJobway jobway;

    @BeforeAll
    static void start() {
        jobway = LocalJobway.start(LocalRuntime.Options.inMemory(LocalJobway.templatePath())
                .withStackName("jobway-quotas").withParameters(Map.of(
                        "TenantJobsPerDay", Integer.toString(JOBS_PER_DAY),
                        "TenantRequestsPerMinute", Integer.toString(REQUESTS_PER_MINUTE))));
    }

    @AfterAll
    static void stop() {
        jobway.close();
    }

    @Test
    void jobs_past_the_daily_quota_get_429_with_retry_after_and_are_not_recorded() {
        LocalJobway.Response batch = jobway.post("/v1/jobs/batch", LocalJobway.KEY_B,
                "{\"jobs\":[{\"type\":\"echo\"},{\"type\":\"echo\"},{\"type\":\"echo\"}]}");
        assertThat(batch.status()).as(batch.body()).isEqualTo(200);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            statuses.add(jobway.post("/v1/jobs", LocalJobway.KEY_B, "{\"type\":\"echo\"}").status());
        }
        LocalJobway.Response tooBig = jobway.post("/v1/jobs/batch", LocalJobway.KEY_B,
                "{\"jobs\":[{\"type\":\"echo\"},{\"type\":\"echo\"}]}");

        assertThat(statuses).containsExactly(202, 202, 429);
        assertThat(tooBig.status()).isEqualTo(429);
        LocalJobway.Response refused = jobway.post("/v1/jobs", LocalJobway.KEY_B, "{\"type\":\"echo\"}");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.headers().get("content-type")).containsExactly("application/problem+json");
        assertThat(refused.body()).contains("5 jobs a day");
        long retryAfter = Long.parseLong(refused.headers().get("retry-after").get(0));
        assertThat(retryAfter).isBetween(1L, 86_400L);
        assertThat(jobway.get("/v1/jobs?limit=100", LocalJobway.KEY_B).json().get("items")).as("jobs recorded")
                .hasSize(JOBS_PER_DAY);
    }

    @Test
    void hook_events_count_as_jobs_and_past_the_quota_get_429_with_nothing_recorded() {
        String key = "jw_quotahooks_" + "secretsecretsecretsecret";
        jobway.local("a tenant of its own").registerKey(key, "tenant-hooks", io.jobway.auth.Scopes.ALL);
        String secret = "whsec_quota_hooks";
        String url = jobway.post("/v1/hook-sources", key,
                "{\"scheme\":\"stripe\",\"secret\":\"" + secret + "\",\"jobType\":\"echo\"}").json()
                .get("url").asText();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i <= JOBS_PER_DAY; i++) {
            String event = "{\"id\":\"evt_quota_" + i + "\"}";
            statuses.add(jobway.post(url, null, event, Map.of("Stripe-Signature",
                    StripeSignature.of(Instant.now().getEpochSecond(), event, secret))).status());
        }

        assertThat(statuses).containsExactly(202, 202, 202, 202, 202, 429);
        assertThat(jobway.get("/v1/jobs?limit=100", key).json().get("items")).hasSize(JOBS_PER_DAY);
    }

    @Test
    void requests_past_the_minute_quota_get_429_and_another_tenant_still_gets_through() throws Exception {
        while (Instant.now().getEpochSecond() % 60 > 50) {
            Thread.sleep(200); // all the requests in one clock minute, the quota's window
        }
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < REQUESTS_PER_MINUTE + 5; i++) {
            statuses.add(jobway.get("/v1/jobs?limit=1", LocalJobway.KEY_A).status());
        }
        LocalJobway.Response refused = jobway.get("/v1/jobs", LocalJobway.KEY_A);

        assertThat(statuses.subList(0, REQUESTS_PER_MINUTE)).containsOnly(200);
        assertThat(statuses.subList(REQUESTS_PER_MINUTE, statuses.size())).containsOnly(429);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.body()).contains(REQUESTS_PER_MINUTE + " requests a minute");
        assertThat(Long.parseLong(refused.headers().get("retry-after").get(0))).isBetween(1L, 61L);
        assertThat(jobway.get("/v1/jobs?limit=1", LocalJobway.KEY_B).status()).as("tenant B").isEqualTo(200);
    }
}
