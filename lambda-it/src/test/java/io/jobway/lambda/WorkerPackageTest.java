package io.jobway.lambda;

import static io.jobway.fixtures.Jobs.aQueuedJob;
import static io.jobway.lambda.Lambda.answer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.job.JobStatus;
import io.jobway.json.Json;
import io.jobway.store.DynamoJobStore;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * WorkerFunction's package under Lambda's runtime (SnapStart), fed events/worker-sqs-batch.json: two job
 * messages and one that is not a job message. The answer is SQS's partial batch response.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerPackageTest {
    private static final String FIRST_JOB = "019ca944-2b58-7e25-b944-852039292d22";
    private static final String FIRST_MESSAGE = "9f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f";
    private static final String THIRD_MESSAGE = "2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901";
    private static final String POISON = "{\"hello\": \"this is not a Jobway job message\"}";
    private final Lambda lambda = Lambda.shared();
    private ExecutionEnvironment worker;

    @BeforeAll
    void start() {
        worker = ExecutionEnvironment.start(lambda.java, lambda.stack.function("WorkerFunction"),
                ExecutionEnvironment.Init.SNAP_START);
    }

    @AfterAll
    void stop() {
        worker.close();
    }

    @Test
    void jobs_without_a_record_come_back_later_a_recorded_one_runs_and_the_poison_goes_to_the_dlq() {
        assertThat(lambda.eventsOf("WorkerFunction")).containsExactly("worker-sqs-batch.json");
        String batch = lambda.event("worker-sqs-batch.json");

        JsonNode unknownJobs = answer(worker, batch);

        assertThat(failedMessages(unknownJobs)).as("no record yet: both handed back for a later delivery")
                .containsExactly(FIRST_MESSAGE, THIRD_MESSAGE);
        assertThat(lambda.messages("JobsDeadLetterQueue")).contains(POISON);

        var store = new DynamoJobStore(lambda.stack.dynamo(), lambda.tableName("JobsTable"),
                lambda.tableName("IdempotencyTable"));
        store.create(aQueuedJob(Instant.now()).jobId(FIRST_JOB).tenantId(Lambda.SAMPLE_TENANT).timeoutSeconds(30)
                .build());

        JsonNode oneRecorded = answer(worker, batch);

        assertThat(failedMessages(oneRecorded)).containsExactly(THIRD_MESSAGE);
        var job = store.find(FIRST_JOB).orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(Json.parse(job.result())).as("echo returns its payload").isEqualTo(Json.parse(job.payload()));
        SnapStart.assertPrimedWithoutCredentials(worker, "WorkerFunction");
    }

    private static java.util.List<String> failedMessages(JsonNode response) {
        return response.get("batchItemFailures").findValuesAsText("itemIdentifier");
    }
}
