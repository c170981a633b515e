package io.jobway.api;

import static io.jobway.fixtures.Jobs.aDeadJob;
import static io.jobway.fixtures.Jobs.aQueuedJob;
import static io.jobway.fixtures.Jobs.aRunningJob;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobway.api.ApiHarness.HttpResult;
import io.jobway.fixtures.JobBuilder;
import io.jobway.fixtures.Jobs;
import io.jobway.job.Job;
import io.jobway.job.JobStatus;
import io.jobway.queue.JobMessage;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CancelAndRetryTest {
    private static final String TENANT = Jobs.TENANT;
    private final ApiHarness api = new ApiHarness();

    // ------------------------------------------------------------------------------------------------- cancel

    @Test
    void POST_cancel_of_a_queued_job_gives_200_and_the_job_is_cancelled() {
        Job job = recorded(aQueuedJob(api.clock.instant()));

        HttpResult response = api.cancel(TENANT, job.jobId());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("status").asText()).isEqualTo("cancelled");
        assertThat(response.json().get("finishedAt").asText()).isEqualTo(api.clock.instant().toString());
        assertThat(stored(job).status()).isEqualTo(JobStatus.CANCELLED);
    }

    @Test
    void POST_cancel_of_a_retrying_job_gives_200_and_the_job_is_cancelled() {
        Job job = recorded(Jobs.aRetryingJob(api.clock.instant()));

        assertThat(api.cancel(TENANT, job.jobId()).status()).isEqualTo(200);
        assertThat(stored(job).status()).isEqualTo(JobStatus.CANCELLED);
    }

    @Test
    void POST_cancel_of_a_running_job_gives_202_and_flags_it_for_its_handler() {
        Job job = recorded(aRunningJob(api.clock.instant()));

        HttpResult response = api.cancel(TENANT, job.jobId());

        assertThat(response.status()).isEqualTo(202);
        assertThat(response.json().get("status").asText()).isEqualTo("running");
        assertThat(response.json().get("cancelRequested").asBoolean()).isTrue();
        Job flagged = stored(job);
        assertThat(flagged.cancelRequested()).isTrue();
        assertThat(flagged.leaseToken()).as("the worker keeps its lease").isEqualTo(job.leaseToken());

        HttpResult again = api.cancel(TENANT, job.jobId());
        assertThat(again.status()).isEqualTo(202);
        assertThat(stored(job)).as("asking twice changes nothing more").isEqualTo(flagged);
    }

    @ParameterizedTest
    @EnumSource(value = JobStatus.class, names = {"SUCCEEDED", "DEAD", "CANCELLED"})
    void POST_cancel_of_a_finished_job_gives_409_and_changes_nothing(JobStatus status) {
        Job job = recorded(Jobs.aJobIn(status, api.clock.instant()));

        HttpResult response = api.cancel(TENANT, job.jobId());

        assertThat(response.status()).isEqualTo(409);
        assertThat(response.isProblem()).isTrue();
        assertThat(response.json().get("detail").asText()).contains(job.jobId()).contains(status.wireName());
        assertThat(stored(job)).isEqualTo(job);
    }

    @Test
    void POST_cancel_of_a_succeeded_job_says_job_finished() {
        Job job = recorded(Jobs.aSucceededJob(api.clock.instant()));

        HttpResult response = api.cancel(TENANT, job.jobId());

        assertThat(response.json().get("type").asText()).isEqualTo("urn:jobway:problem:job-finished");
        assertThat(response.json().get("detail").asText())
                .isEqualTo("job " + job.jobId() + " is already succeeded and cannot be cancelled");
    }

    @Test
    void POST_cancel_of_another_tenants_job_gives_404_and_changes_nothing() {
        Job theirs = recorded(aQueuedJob(api.clock.instant()).tenantId("tenant-b"));

        HttpResult response = api.cancel(TENANT, theirs.jobId());

        assertThat(response.status()).isEqualTo(404);
        assertThat(stored(theirs)).isEqualTo(theirs);
    }

    // -------------------------------------------------------------------------------------------------- retry

    @Test
    void POST_retry_of_a_dead_job_gives_202_queues_it_at_attempt_0_and_sends_its_message() {
        Job dead = recorded(aDeadJob(api.clock.instant()));
        api.clock.advance(Duration.ofMinutes(10));

        HttpResult response = api.retry(TENANT, dead.jobId());

        assertThat(response.status()).isEqualTo(202);
        assertThat(response.header("location")).isEqualTo("/v1/jobs/" + dead.jobId());
        assertThat(response.json().get("status").asText()).isEqualTo("queued");
        assertThat(response.json().get("attempt").asInt()).isZero();
        assertThat(response.json().get("error").isNull()).isTrue();
        assertThat(api.visibleMessages()).containsExactly(JobMessage.of(dead).toBody());
        Job requeued = stored(dead);
        assertThat(requeued.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(requeued.attempt()).isZero();
        assertThat(api.store.findDue(api.clock.instant().plus(JobsApi.REQUEUE_SWEEP_AFTER), 10))
                .as("in the sweeper's index in case the message is lost").extracting(Job::jobId)
                .contains(dead.jobId());
    }

    @Test
    void POST_retry_of_a_cancelled_job_gives_202() {
        Job cancelled = recorded(Jobs.aCancelledJob(api.clock.instant()));

        assertThat(api.retry(TENANT, cancelled.jobId()).status()).isEqualTo(202);
        assertThat(stored(cancelled).status()).isEqualTo(JobStatus.QUEUED);
    }

    @ParameterizedTest
    @EnumSource(value = JobStatus.class, names = {"QUEUED", "RUNNING", "RETRYING", "SUCCEEDED"})
    void POST_retry_of_a_job_that_is_not_dead_or_cancelled_gives_409_and_sends_nothing(JobStatus status) {
        Job job = recorded(Jobs.aJobIn(status, api.clock.instant()));

        HttpResult response = api.retry(TENANT, job.jobId());

        assertThat(response.status()).isEqualTo(409);
        assertThat(response.isProblem()).isTrue();
        assertThat(stored(job)).isEqualTo(job);
        assertThat(api.queue.size()).isZero();
    }

    @Test
    void POST_retry_of_a_running_job_says_job_not_retryable() {
        Job job = recorded(aRunningJob(api.clock.instant()));

        HttpResult response = api.retry(TENANT, job.jobId());

        assertThat(response.json().get("type").asText()).isEqualTo("urn:jobway:problem:job-not-retryable");
        assertThat(response.json().get("detail").asText())
                .isEqualTo("job " + job.jobId() + " is running; only dead or cancelled jobs can be retried");
    }

    @Test
    void POST_retry_of_another_tenants_dead_job_gives_404_and_sends_nothing() {
        Job theirs = recorded(aDeadJob(api.clock.instant()).tenantId("tenant-b"));

        assertThat(api.retry(TENANT, theirs.jobId()).status()).isEqualTo(404);
        assertThat(stored(theirs)).isEqualTo(theirs);
        assertThat(api.queue.size()).isZero();
    }

    private Job recorded(JobBuilder builder) {
        Job job = builder.build();
        api.store.create(job);
        return api.store.find(job.jobId()).orElseThrow();
    }

    private Job stored(Job job) {
        return api.store.find(job.jobId()).orElseThrow();
    }
}
