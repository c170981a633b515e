package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.local.AdjustableClock;
import io.jobway.local.LocalRuntime;
import io.jobway.local.template.CfnTemplate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Finished jobs are kept JobRetentionDays, then DynamoDB's TTL deletes them. DynamoDB Local deletes nothing, so
 * this proves the two halves apart: the attribute TTL reads is set right, and the API never returns a job whose
 * time has passed (on a runtime whose clock the test moves on by days).
 */
class RetentionE2ETest {
    private static final AdjustableClock CLOCK = new AdjustableClock();
    private static LocalJobway jobway;

    @BeforeAll
    static void start() {
        jobway = LocalJobway.start(LocalRuntime.Options.inMemory(LocalJobway.templatePath()).withClock(CLOCK)
                .withStackName("jobway-retention").withParameters(Map.of("JobRetentionDays", "7")));
    }

    @AfterAll
    static void stop() {
        if (jobway != null) {
            jobway.close();
        }
    }

    @Test
    void a_finished_job_carries_its_ttl_and_is_gone_from_the_api_once_it_passes_while_an_unfinished_one_stays() {
        String finished = jobway.submit("{\"type\":\"echo\",\"payload\":{\"n\":1}}");
        String waiting = jobway.submit("{\"type\":\"echo\",\"delaySeconds\":5184000}"); // 60 days ahead
        JsonNode done = jobway.awaitStatus(finished, "succeeded", Duration.ofSeconds(30));

        Instant expiresAt = Instant.parse(done.get("expiresAt").asText());
        assertThat(expiresAt).isEqualTo(Instant.parse(done.get("finishedAt").asText()).plus(Duration.ofDays(7))
                .truncatedTo(ChronoUnit.SECONDS));
        Map<String, AttributeValue> item = jobway.dynamo().getItem(b -> b.tableName(jobway.tableName("JobsTable"))
                .key(Map.of("jobId", AttributeValue.fromS(finished)))).item();
        assertThat(item.get("expiresAt").n()).as("epoch seconds, as TTL reads them")
                .isEqualTo(Long.toString(expiresAt.getEpochSecond()));
        assertThat(CfnTemplate.load(LocalJobway.templatePath()).resource("JobsTable").orElseThrow()
                .property("TimeToLiveSpecification"))
                .isEqualTo(Map.of("AttributeName", "expiresAt", "Enabled", "true"));
        assertThat(jobway.job(waiting).get("expiresAt").isNull()).as("only finished jobs expire").isTrue();

        CLOCK.advanceTo(expiresAt.plusSeconds(1));

        assertThat(jobway.get("/v1/jobs/" + finished, LocalJobway.KEY_A).status()).isEqualTo(404);
        assertThat(jobway.post("/v1/jobs/" + finished + "/retry", LocalJobway.KEY_A, null).status()).isEqualTo(404);
        JsonNode listed = jobway.get("/v1/jobs?limit=100", LocalJobway.KEY_A).json().get("items");
        assertThat(listed.findValuesAsText("jobId")).doesNotContain(finished).contains(waiting);
        assertThat(jobway.get("/v1/jobs/" + waiting, LocalJobway.KEY_A).status()).isEqualTo(200);
    }
}
