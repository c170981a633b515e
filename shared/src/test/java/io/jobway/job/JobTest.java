package io.jobway.job;

import static io.jobway.fixtures.Jobs.aCancelledJob;
import static io.jobway.fixtures.Jobs.aDeadJob;
import static io.jobway.fixtures.Jobs.aQueuedJob;
import static io.jobway.fixtures.Jobs.aRetryingJob;
import static io.jobway.fixtures.Jobs.aRunningJob;
import static io.jobway.fixtures.Jobs.aScheduledJob;
import static io.jobway.fixtures.Jobs.aSucceededJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobway.fixtures.Jobs;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JobTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(90);
    private static final Duration RETENTION = Duration.ofDays(30);
    private static final JobError ERROR = new JobError("boom", "IllegalStateException", NOW);

    @Test
    void submit_queuesAtVersionOne_dueAfterItsDelay() {
        JobSpec spec = new JobSpec("echo", "{\"a\":1}", 4, 30, 120, "https://example.com/hook", "key-1");

        Job job = Job.submit("job-1", "tenant-a", spec, NOW);

        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(job.version()).isEqualTo(1);
        assertThat(job.attempt()).isZero();
        assertThat(job.runAt()).isEqualTo(NOW.plusSeconds(120));
        assertThat(job.createdAt()).isEqualTo(NOW);
        assertThat(job).extracting(Job::tenantId, Job::type, Job::payload, Job::maxAttempts, Job::timeoutSeconds,
                        Job::callbackUrl, Job::idempotencyKey)
                .containsExactly("tenant-a", "echo", "{\"a\":1}", 4, 30, "https://example.com/hook", "key-1");
        assertThat(job.leaseToken()).isNull();
        assertThat(job.dueAt()).isNull();
    }

    @Test
    void submit_beyondSqsLongestDelay_isScheduled_inTheDueIndexTenMinutesAhead() {
        Job atTheLimit = Job.submit("job-1", "tenant-a", new JobSpec("echo", null, 3, 60, 900, null, null), NOW);
        Job beyond = Job.submit("job-2", "tenant-a", new JobSpec("echo", null, 3, 60, 901, null, null), NOW);

        assertThat(atTheLimit.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(atTheLimit.delayAt(NOW)).isEqualTo(Duration.ofSeconds(900));
        assertThat(beyond.status()).isEqualTo(JobStatus.SCHEDULED);
        assertThat(beyond.dueAt()).isEqualTo(NOW.plusSeconds(901).minus(Job.ENQUEUE_AHEAD));
        assertThat(beyond.claimableAt(NOW.plusSeconds(901))).as("only its enqueue makes it claimable").isFalse();
    }

    @Test
    void enqueue_queuesAScheduledJob_andDelayAtRoundsTheRestUpToWholeSeconds() {
        Instant runAt = NOW.plus(Duration.ofDays(9));
        Job scheduled = Job.submit("job-1", "tenant-a", new JobSpec("echo", null, 3, 60, 0, null, null).withRunAt(runAt),
                NOW);
        Instant sweep = runAt.minusMillis(4_200);

        Job queued = scheduled.enqueue(sweep, runAt.plusSeconds(300));

        assertThat(queued.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(queued.dueAt()).isEqualTo(runAt.plusSeconds(300));
        assertThat(queued.version()).isEqualTo(scheduled.version() + 1);
        assertThat(queued.delayAt(sweep)).isEqualTo(Duration.ofSeconds(5));
        assertThat(queued.delayAt(runAt.plusSeconds(1))).isEqualTo(Duration.ZERO);
        assertThat(queued.delayAt(runAt.minus(Duration.ofHours(1)))).as("never beyond SQS's limit")
                .isEqualTo(Job.QUEUE_DELAY_LIMIT);
        assertThatThrownBy(() -> queued.enqueue(sweep, runAt)).isInstanceOf(IllegalTransition.class);
    }

    @Test
    void claim_startsTheNextAttemptUnderAFreshLease() {
        Job queued = aQueuedJob(NOW).dueAt(NOW.plusSeconds(60)).build();

        Job running = queued.claim("token-1", NOW, LEASE);

        assertThat(running.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(running.attempt()).isEqualTo(1);
        assertThat(running.leaseToken()).isEqualTo("token-1");
        assertThat(running.leaseUntil()).isEqualTo(NOW.plus(LEASE));
        assertThat(running.startedAt()).isEqualTo(NOW);
        assertThat(running.dueAt()).as("a claimed job leaves the sweeper's index").isNull();
        assertThat(running.version()).isEqualTo(queued.version() + 1);
    }

    @Test
    void claim_clearsTheProgressOfTheAttemptBefore() {
        Job running = aRunningJob(NOW, Duration.ZERO).progress(new Progress(80, "almost")).build();

        Job next = running.claim("token-2", NOW, LEASE);

        assertThat(next.progress()).isNull();
        assertThat(next.attempt()).isEqualTo(2);
    }

    @Test
    void claim_whenNotClaimable_throwsIllegalTransitionNamingTheJobAndBothStates() {
        Job done = aSucceededJob(NOW).jobId("job-42").build();

        assertThatThrownBy(() -> done.claim("t", NOW, LEASE))
                .isInstanceOfSatisfying(IllegalTransition.class, e -> {
                    assertThat(e.jobId()).isEqualTo("job-42");
                    assertThat(e.from()).isEqualTo(JobStatus.SUCCEEDED);
                    assertThat(e.to()).isEqualTo(JobStatus.RUNNING);
                })
                .hasMessage("job job-42 cannot go from succeeded to running");
    }

    @Test
    void succeed_recordsTheResult_endsTheLease_andExpiresAfterTheRetention() {
        Job running = aRunningJob(NOW).build();

        Job done = running.succeed("{\"n\":1}", NOW, RETENTION);

        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.result()).isEqualTo("{\"n\":1}");
        assertThat(done.finishedAt()).isEqualTo(NOW);
        assertThat(done.leaseToken()).isNull();
        assertThat(done.leaseUntil()).isNull();
        assertThat(done.expiresAt()).isEqualTo(NOW.plus(RETENTION));
        assertThat(done.version()).isEqualTo(running.version() + 1);
    }

    @Test
    void retry_keepsTheErrorAndTheNextRunTime_andEndsTheLease() {
        Job running = aRunningJob(NOW).build();

        Job retrying = running.retry(ERROR, NOW.plusSeconds(8), NOW, Duration.ofMinutes(5));

        assertThat(retrying.status()).isEqualTo(JobStatus.RETRYING);
        assertThat(retrying.lastError()).isEqualTo(ERROR);
        assertThat(retrying.runAt()).isEqualTo(NOW.plusSeconds(8));
        assertThat(retrying.leaseToken()).isNull();
        assertThat(retrying.dueAt()).as("the sweeper re-sends it if its message is late")
                .isEqualTo(NOW.plusSeconds(8).plus(Duration.ofMinutes(5)));
        assertThat(retrying.attempt()).as("the attempt that failed stays counted").isEqualTo(1);
        assertThat(retrying.version()).isEqualTo(running.version() + 1);
    }

    @Test
    void die_keepsTheLastError() {
        Job running = aRunningJob(NOW).attempt(3).build();

        Job dead = running.die(ERROR, NOW, RETENTION);

        assertThat(dead.status()).isEqualTo(JobStatus.DEAD);
        assertThat(dead.lastError()).isEqualTo(ERROR);
        assertThat(dead.finishedAt()).isEqualTo(NOW);
        assertThat(dead.expiresAt()).isEqualTo(NOW.plus(RETENTION));
        assertThat(dead.version()).isEqualTo(running.version() + 1);
    }

    @Test
    void die_ofAQueuedJob_isIllegal() {
        assertThatThrownBy(() -> aQueuedJob(NOW).build().die(ERROR, NOW, RETENTION))
                .isInstanceOf(IllegalTransition.class)
                .hasMessageContaining("from queued to dead");
    }

    @ParameterizedTest
    @EnumSource(value = JobStatus.class, names = {"SCHEDULED", "QUEUED", "RETRYING"})
    void cancel_ofAJobThatIsNotRunningYet_endsItCancelledAtOnce(JobStatus status) {
        Job job = Jobs.aJobIn(status, NOW).build();

        Job cancelled = job.cancel(NOW, RETENTION);

        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelled.cancelRequested()).as("ended, not merely requested").isFalse();
        assertThat(cancelled.finishedAt()).isEqualTo(NOW);
        assertThat(cancelled.leaseToken()).isNull();
        assertThat(cancelled.version()).isEqualTo(job.version() + 1);
    }

    @ParameterizedTest
    @EnumSource(value = JobStatus.class, names = {"SUCCEEDED", "DEAD", "CANCELLED"})
    void cancel_ofAFinishedJob_isIllegal(JobStatus status) {
        Job job = Jobs.aJobIn(status, NOW).build();

        assertThatThrownBy(() -> job.cancel(NOW, RETENTION))
                .isInstanceOfSatisfying(IllegalTransition.class, e -> {
                    assertThat(e.jobId()).isEqualTo(job.jobId());
                    assertThat(e.from()).isEqualTo(status);
                    assertThat(e.to()).isEqualTo(JobStatus.CANCELLED);
                })
                .hasMessageContaining(job.jobId())
                .hasMessageContaining(status.wireName());
    }

    @Test
    void cancel_ofARunningJob_requestsIt_andLeavesItRunningUnderItsLease() {
        Job running = aRunningJob(NOW).build();

        Job flagged = running.cancel(NOW.plusSeconds(1), RETENTION);

        assertThat(flagged.cancelRequested()).isTrue();
        assertThat(flagged.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(flagged.leaseToken()).isEqualTo(running.leaseToken());
        assertThat(flagged.finishedAt()).isNull();
        assertThat(flagged.updatedAt()).isEqualTo(NOW.plusSeconds(1));
        assertThat(flagged.version()).isEqualTo(running.version() + 1);
    }

    @Test
    void cancel_ofARunningJobWhoseCancelWasRequested_changesNothing() {
        Job flagged = aRunningJob(NOW).cancelRequested(true).build();

        assertThat(flagged.cancel(NOW.plusSeconds(1), RETENTION)).isSameAs(flagged);
    }

    @Test
    void endCancelled_ofTheRunningAttempt_endsItCancelled() {
        Job running = aRunningJob(NOW).cancelRequested(true).build();

        Job cancelled = running.endCancelled(NOW, RETENTION);

        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelled.finishedAt()).isEqualTo(NOW);
        assertThat(cancelled.leaseToken()).isNull();
        assertThat(cancelled.expiresAt()).isEqualTo(NOW.plus(RETENTION));
        assertThat(cancelled.version()).isEqualTo(running.version() + 1);
    }

    @ParameterizedTest
    @EnumSource(value = JobStatus.class, names = {"SUCCEEDED", "DEAD", "CANCELLED"})
    void endCancelled_ofAFinishedJob_isIllegal(JobStatus status) {
        Job job = Jobs.aJobIn(status, NOW).build();

        assertThatThrownBy(() -> job.endCancelled(NOW, RETENTION))
                .isInstanceOf(IllegalTransition.class)
                .hasMessage("job " + job.jobId() + " cannot go from " + status.wireName() + " to cancelled");
    }

    @Test
    void requeue_ofADeadJob_startsOverWithAFreshAttemptBudget() {
        Job dead = aDeadJob(NOW).result("{\"x\":1}").progress(new Progress(50, "half")).build();
        Instant later = NOW.plusSeconds(600);

        Job queued = dead.requeue(later, later.plusSeconds(120));

        assertThat(queued.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(queued.attempt()).isZero();
        assertThat(queued.lastError()).isNull();
        assertThat(queued.result()).isNull();
        assertThat(queued.progress()).isNull();
        assertThat(queued.startedAt()).isNull();
        assertThat(queued.finishedAt()).isNull();
        assertThat(queued.expiresAt()).as("a live job must not expire").isNull();
        assertThat(queued.runAt()).isEqualTo(later);
        assertThat(queued.dueAt()).as("the sweeper re-sends it if its message is lost").isEqualTo(later.plusSeconds(120));
        assertThat(queued.version()).isEqualTo(dead.version() + 1);
        assertThat(queued.claimableAt(later)).isTrue();
    }

    @Test
    void requeue_ofACancelledJob_clearsTheCancelFlag() {
        Job cancelled = aCancelledJob(NOW).cancelRequested(true).build();

        Job queued = cancelled.requeue(NOW, NOW.plusSeconds(120));

        assertThat(queued.cancelRequested()).isFalse();
        assertThat(queued.status()).isEqualTo(JobStatus.QUEUED);
    }

    @ParameterizedTest
    @EnumSource(value = JobStatus.class, names = {"QUEUED", "RUNNING", "RETRYING", "SUCCEEDED"})
    void requeue_ofAJobThatIsUnfinishedOrSucceeded_isIllegal(JobStatus status) {
        Job job = Jobs.aJobIn(status, NOW).build();

        assertThatThrownBy(() -> job.requeue(NOW, NOW.plusSeconds(120)))
                .isInstanceOf(IllegalTransition.class)
                .hasMessage("job " + job.jobId() + " cannot go from " + status.wireName() + " to queued");
    }

    @Test
    void withProgress_andSweptUntil_bumpTheVersionByOne() {
        Job running = aRunningJob(NOW).build();

        assertThat(running.withProgress(new Progress(10, "x"), NOW).version()).isEqualTo(running.version() + 1);
        assertThat(running.sweptUntil(NOW.plusSeconds(300), NOW).version()).isEqualTo(running.version() + 1);
        assertThat(running.sweptUntil(NOW.plusSeconds(300), NOW).dueAt()).isEqualTo(NOW.plusSeconds(300));
    }

    @Test
    void claimableAt_aQueuedOrRetryingJob_thatIsDue() {
        assertThat(aQueuedJob(NOW).build().claimableAt(NOW)).isTrue();
        assertThat(aRetryingJob(NOW).build().claimableAt(NOW)).isTrue();
    }

    @Test
    void claimableAt_notARunningJobWhileItsLeaseLasts() {
        Job running = aRunningJob(NOW, Duration.ofSeconds(30)).build();

        assertThat(running.claimableAt(NOW)).isFalse();
        assertThat(running.claimableAt(NOW.plusSeconds(30).minusMillis(1))).isFalse();
    }

    @Test
    void claimableAt_aRunningJobOnceItsLeaseEnded() {
        Job running = aRunningJob(NOW, Duration.ofSeconds(30)).build();

        assertThat(running.claimableAt(NOW.plusSeconds(30))).isTrue();
    }

    @Test
    void claimableAt_notWhenAttemptsAreExhausted() {
        assertThat(aRetryingJob(NOW).attempt(3).maxAttempts(3).build().claimableAt(NOW)).isFalse();
        assertThat(aRunningJob(NOW, Duration.ZERO).attempt(3).maxAttempts(3).build().claimableAt(NOW)).isFalse();
    }

    @Test
    void claimableAt_notWhenACancelWasRequested() {
        assertThat(aRunningJob(NOW, Duration.ZERO).cancelRequested(true).build().claimableAt(NOW)).isFalse();
    }

    @Test
    void claimableAt_allowsARunTimeUpToTheClockSkewAhead_butNoFurther() {
        Job job = aRetryingJob(NOW).runAt(NOW.plus(Job.CLOCK_SKEW)).build();

        assertThat(Job.CLOCK_SKEW).isEqualTo(Duration.ofSeconds(2));
        assertThat(job.claimableAt(NOW)).isTrue();
        assertThat(job.claimableAt(NOW.minusMillis(1))).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = JobStatus.class, names = {"SCHEDULED", "SUCCEEDED", "DEAD", "CANCELLED"})
    void claimableAt_neverForScheduledOrFinishedJobs(JobStatus status) {
        Job job = Jobs.aJobIn(status, NOW).runAt(NOW.minusSeconds(60)).build();

        assertThat(job.claimableAt(NOW.plusSeconds(3600))).isFalse();
    }

    @Test
    void aJob_needsItsIdentity() {
        assertThatThrownBy(() -> aQueuedJob(NOW).tenantId(null).build())
                .isInstanceOf(NullPointerException.class).hasMessage("tenantId");
    }

    @Test
    void jobError_keepsAtMost2000Characters_andNeverNull() {
        assertThat(new JobError("x".repeat(5000), "T", NOW).message()).hasSize(2000);
        assertThat(new JobError(null, "T", NOW).message()).isEmpty();
        assertThat(JobError.of(new InterruptedException(), NOW).message()).isEqualTo("InterruptedException");
        assertThat(JobError.of(new IllegalStateException("bad"), NOW))
                .extracting(JobError::message, JobError::type, JobError::at)
                .containsExactly("bad", "IllegalStateException", NOW);
    }

    @Test
    void progress_isAPercentage() {
        assertThat(new Progress(0, null).percent()).isZero();
        assertThat(new Progress(100, "done").percent()).isEqualTo(100);
        assertThatThrownBy(() -> new Progress(101, "too far")).hasMessageContaining("0-100");
        assertThatThrownBy(() -> new Progress(-1, "negative")).hasMessageContaining("0-100");
    }
}
