package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jobway.local.LocalRuntime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * The answers only a race gives, staged by the API function's own DynamoDB client: a job not yet readable while
 * its idempotency key already is (as between two requests with one key), and a schedule someone else writes
 * every time this request tries to.
 */
class RacesE2ETest {
    private static final AtomicBoolean jobsUnreadable = new AtomicBoolean();
    private static final AtomicBoolean schedulesChanging = new AtomicBoolean();
    private static LocalJobway jobway;
    /** Set once the races are staged in this JVM, for {@link DocumentedStatusesTest}. */
    static volatile boolean ran;

    /** What the API function's client does while a race is staged. */
    private static final class Race implements ExecutionInterceptor {
        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            SdkRequest request = context.request();
            if (schedulesChanging.get() && request instanceof PutItemRequest put
                    && put.tableName().endsWith("-SchedulesTable") && put.conditionExpression() != null) {
                throw ConditionalCheckFailedException.builder().message("written by another caller (staged)").build();
            }
        }

        @Override
        public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
            if (jobsUnreadable.get() && context.request() instanceof GetItemRequest get
                    && get.tableName().endsWith("-JobsTable")) {
                return GetItemResponse.builder().build(); // not there yet
            }
            return context.response();
        }
    }

    @BeforeAll
    static void start() {
        assumeTrue(E2eTarget.current() == E2eTarget.EMBEDDED, "races are staged in this JVM's functions");
        jobway = LocalJobway.start(LocalRuntime.Options.inMemory(LocalJobway.templatePath())
                .withStackName("jobway-races")
                .withInterceptors(function -> function.equals("ApiFunction") ? List.of(new Race()) : List.of()));
        ran = true;
    }

    @AfterEach
    void endTheRace() {
        jobsUnreadable.set(false);
        schedulesChanging.set(false);
    }

    @AfterAll
    static void stop() {
        if (jobway != null) {
            jobway.close();
        }
    }

    @Test
    void a_key_whose_job_is_not_readable_yet_gets_409_with_retry_after_then_its_job() {
        String body = "{\"type\":\"echo\",\"payload\":{\"race\":1}}";
        Map<String, String> key = Map.of("Idempotency-Key", "race-" + System.nanoTime());
        LocalJobway.Response first = jobway.post("/v1/jobs", LocalJobway.KEY_A, body, key);
        assertThat(first.status()).isEqualTo(202);

        jobsUnreadable.set(true);
        LocalJobway.Response during = jobway.post("/v1/jobs", LocalJobway.KEY_A, body, key);
        jobsUnreadable.set(false);
        LocalJobway.Response after = jobway.post("/v1/jobs", LocalJobway.KEY_A, body, key);

        assertThat(during.status()).as(during.body()).isEqualTo(409);
        assertThat(during.body()).contains("idempotency-key-in-flight");
        assertThat(during.headers().get("retry-after")).containsExactly("1");
        assertThat(after.status()).isEqualTo(200);
        assertThat(after.json().get("jobId").asText()).isEqualTo(first.json().get("jobId").asText());
    }

    @Test
    void a_hook_event_whose_job_is_not_readable_yet_gets_409_then_is_replayed() {
        String secret = "whsec_race_" + System.nanoTime();
        String url = jobway.post("/v1/hook-sources", LocalJobway.KEY_A,
                "{\"scheme\":\"stripe\",\"secret\":\"" + secret + "\",\"jobType\":\"echo\"}").json().get("url").asText();
        String event = "{\"id\":\"evt_race_" + System.nanoTime() + "\",\"type\":\"charge.succeeded\"}";
        Map<String, String> signed = Map.of("Stripe-Signature",
                StripeSignature.of(Instant.now().getEpochSecond(), event, secret));
        assertThat(jobway.post(url, null, event, signed).status()).isEqualTo(202);

        jobsUnreadable.set(true);
        LocalJobway.Response during = jobway.post(url, null, event, signed);
        jobsUnreadable.set(false);

        assertThat(during.status()).as(during.body()).isEqualTo(409);
        assertThat(during.body()).contains("idempotency-key-in-flight");
        assertThat(jobway.post(url, null, event, signed).status()).isEqualTo(200);
    }

    @Test
    void a_schedule_written_by_others_on_every_try_gets_409_and_is_replaced_once_they_stop() {
        String schedule = "{\"cron\":\"@daily\",\"job\":{\"type\":\"echo\"}}";
        assertThat(jobway.post("/v1/schedules", LocalJobway.KEY_A,
                "{\"name\":\"raced\",\"cron\":\"@hourly\",\"job\":{\"type\":\"echo\"}}").status()).isEqualTo(201);

        schedulesChanging.set(true);
        LocalJobway.Response during = jobway.put("/v1/schedules/raced", LocalJobway.KEY_A, schedule);
        schedulesChanging.set(false);

        assertThat(during.status()).as(during.body()).isEqualTo(409);
        assertThat(during.body()).contains("concurrent-change");
        assertThat(jobway.get("/v1/schedules/raced", LocalJobway.KEY_A).json().get("cron").asText())
                .as("unchanged by the refused write").isEqualTo("@hourly");
        assertThat(jobway.put("/v1/schedules/raced", LocalJobway.KEY_A, schedule).status()).isEqualTo(200);
    }
}
