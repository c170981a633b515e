package io.jobway.lambda;

import static io.jobway.fixtures.Jobs.aDeadJob;
import static io.jobway.lambda.Lambda.answer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.job.Job;
import io.jobway.json.Json;
import io.jobway.store.DynamoJobStore;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** SweeperFunction's package under Lambda's runtime (SnapStart), fed the scheduled event of events/. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SweeperPackageTest {
    private final Lambda lambda = Lambda.shared();
    private ExecutionEnvironment sweeper;

    @BeforeAll
    void start() {
        sweeper = ExecutionEnvironment.start(lambda.java, lambda.stack.function("SweeperFunction"),
                ExecutionEnvironment.Init.SNAP_START);
    }

    @AfterAll
    void stop() {
        sweeper.close();
    }

    @Test
    void a_sweep_resends_the_requeued_job_that_is_due_and_reports_it() {
        assertThat(lambda.eventsOf("SweeperFunction")).containsExactly("sweeper-schedule.json");
        String schedule = lambda.event("sweeper-schedule.json");

        JsonNode idle = answer(sweeper, schedule);

        Instant now = Instant.now();
        Job requeued = aDeadJob(now.minusSeconds(600)).tenantId(Lambda.SAMPLE_TENANT).build()
                .requeue(now.minusSeconds(120), now.minusSeconds(1));
        new DynamoJobStore(lambda.stack.dynamo(), lambda.tableName("JobsTable"), lambda.tableName("IdempotencyTable"))
                .create(requeued);

        JsonNode swept = answer(sweeper, schedule);

        assertThat(idle).isEqualTo(Json.parse("{\"schedulesFired\":0,\"scheduledEnqueued\":0,\"dueResent\":0,\"deadLettersRedelivered\":0}"));
        assertThat(swept).isEqualTo(Json.parse("{\"schedulesFired\":0,\"scheduledEnqueued\":0,\"dueResent\":1,\"deadLettersRedelivered\":0}"));
        assertThat(lambda.messages("JobsQueue")).contains("{\"jobId\":\"" + requeued.jobId() + "\",\"timeoutSeconds\":60,"
                + "\"tenantId\":\"" + Lambda.SAMPLE_TENANT + "\"}");
        SnapStart.assertPrimedWithoutCredentials(sweeper, "SweeperFunction");
    }
}
