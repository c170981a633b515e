package io.jobway.job;

import static io.jobway.fixtures.Jobs.aQueuedJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.jobway.fixtures.JobBuilder;
import io.jobway.job.Attempt.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The history the verbs write: each attempt where it starts (the claim) and where its outcome is recorded. */
class JobAttemptsTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(90);
    private static final Duration RETENTION = Duration.ofDays(30);
    private static final Duration GRACE = Duration.ofMinutes(5);
    private static final JobError BOOM = JobError.of(new IllegalStateException("boom"), NOW);

    @Test
    void aJobNotYetRun_hasNoAttempts() {
        assertThat(aQueuedJob(NOW).build().attempts()).isEmpty();
    }

    @Test
    void claim_startsTheAttempt_runningWithoutAnEnd() {
        Job running = aQueuedJob(NOW).build().claim("t1", NOW, LEASE);

        assertThat(running.attempts()).containsExactly(new Attempt(1, NOW, null, null, null, null));
        assertThat(running.attempts().getFirst().running()).isTrue();
    }

    @Test
    void succeed_endsTheRunningAttempt_succeeded() {
        Job done = aQueuedJob(NOW).build().claim("t1", NOW, LEASE).succeed("{}", at(3), RETENTION);

        assertThat(done.attempts()).containsExactly(new Attempt(1, NOW, at(3), Outcome.SUCCEEDED, null, null));
    }

    @Test
    void aFailureThenARetry_endsTheAttemptFailedWithItsErrorButNotItsStack_andTheNextClaimStartsAttempt2() {
        Job retrying = aQueuedJob(NOW).build().claim("t1", NOW, LEASE).retry(BOOM, at(10), at(2), GRACE);
        Job again = retrying.claim("t2", at(10), LEASE);

        assertThat(again.attempts()).containsExactly(
                new Attempt(1, NOW, at(2), Outcome.FAILED, "IllegalStateException", "boom"),
                new Attempt(2, at(10), null, null, null, null));
        assertThat(again.lastError().stack()).as("the stack stays with the last error")
                .startsWith("java.lang.IllegalStateException: boom");
    }

    @Test
    void die_endsTheLastAttemptFailed() {
        Job dead = aQueuedJob(NOW).maxAttempts(1).build().claim("t1", NOW, LEASE).die(BOOM, at(1), RETENTION);

        assertThat(dead.attempts()).extracting(Attempt::outcome, Attempt::finishedAt, Attempt::errorType)
                .containsExactly(tuple(Outcome.FAILED, at(1), "IllegalStateException"));
    }

    @Test
    void aTimeout_endsTheAttemptTimedOut_whetherItIsRetriedOrDead() {
        JobError timeout = new JobError("attempt 1 did not finish within 5 s", JobError.TIMEOUT, NOW);
        Job retrying = aQueuedJob(NOW).build().claim("t1", NOW, LEASE).retry(timeout, at(10), at(5), GRACE);
        Job dead = retrying.claim("t2", at(10), LEASE).die(timeout, at(15), RETENTION);

        assertThat(dead.attempts()).extracting(Attempt::outcome).containsExactly(Outcome.TIMED_OUT, Outcome.TIMED_OUT);
        assertThat(dead.attempts()).extracting(Attempt::errorType).containsOnly(JobError.TIMEOUT);
    }

    @Test
    void aNewClaimAfterALostWorkersLease_marksTheOpenAttemptLost_withNoEndItCannotKnow() {
        Job lost = aQueuedJob(NOW).build().claim("t1", NOW, LEASE);

        Job reclaimed = lost.claim("t2", NOW.plus(LEASE), LEASE);

        assertThat(reclaimed.attempts()).containsExactly(
                new Attempt(1, NOW, null, Outcome.LOST, null, null),
                new Attempt(2, NOW.plus(LEASE), null, null, null, null));
    }

    @Test
    void aLostWorkersLastAttempt_endsLost_whenTheJobDiesOfIt() {
        Job running = aQueuedJob(NOW).maxAttempts(1).build().claim("t1", NOW, LEASE);
        JobError workerLost = new JobError("the worker stopped", JobError.WORKER_LOST, NOW.plus(LEASE));

        Job dead = running.die(workerLost, NOW.plus(LEASE), RETENTION);

        assertThat(dead.attempts()).containsExactly(
                new Attempt(1, NOW, NOW.plus(LEASE), Outcome.LOST, JobError.WORKER_LOST, "the worker stopped"));
    }

    @Test
    void endCancelled_endsTheRunningAttemptCancelled_andACancelBeforeAnyRunAddsNone() {
        Job running = aQueuedJob(NOW).build().claim("t1", NOW, LEASE);

        Job cancelled = running.cancel(at(1), RETENTION).endCancelled(at(2), RETENTION);

        assertThat(cancelled.attempts()).containsExactly(new Attempt(1, NOW, at(2), Outcome.CANCELLED, null, null));
        assertThat(aQueuedJob(NOW).build().cancel(at(1), RETENTION).attempts()).isEmpty();
    }

    @Test
    void defer_endsTheAttemptDeferred_andTheNextClaimRunsUnderTheSameNumber() {
        Job deferred = aQueuedJob(NOW).build().claim("t1", NOW, LEASE).defer(at(30), at(1), GRACE);
        Job again = deferred.claim("t2", at(30), LEASE);

        assertThat(again.attempts()).containsExactly(
                new Attempt(1, NOW, at(1), Outcome.DEFERRED, null, null),
                new Attempt(1, at(30), null, null, null, null));
        assertThat(again.attempt()).as("a deferral spends no attempt").isEqualTo(1);
    }

    @Test
    void anOperatorsRetry_keepsTheHistory_andNumbersTheNewAttemptsFrom1Again() {
        Job dead = aQueuedJob(NOW).maxAttempts(1).build().claim("t1", NOW, LEASE).die(BOOM, at(1), RETENTION);

        Job rerun = dead.requeue(at(60), at(180)).claim("t2", at(60), LEASE).succeed("{}", at(61), RETENTION);

        assertThat(rerun.attempt()).isEqualTo(1);
        assertThat(rerun.attempts()).extracting(Attempt::number, Attempt::startedAt, Attempt::outcome)
                .containsExactly(tuple(1, NOW, Outcome.FAILED),
                        tuple(1, at(60), Outcome.SUCCEEDED));
    }

    @Test
    void theHistoryKeepsTheLast20Attempts_whileAttemptCountsThemAll() {
        Job job = aQueuedJob(NOW).maxAttempts(25).build();
        for (int i = 0; i < 24; i++) {
            job = job.claim("t" + i, at(10 * i), LEASE).retry(BOOM, at(10 * i + 5), at(10 * i + 1), GRACE);
        }

        Job last = job.claim("t24", at(240), LEASE);

        assertThat(last.attempt()).isEqualTo(25);
        assertThat(last.attempts()).hasSize(Attempt.KEPT).hasSize(20);
        assertThat(last.attempts()).extracting(Attempt::number).startsWith(6, 7).endsWith(24, 25);
        assertThat(last.attempts().getLast().running()).isTrue();
    }

    @Test
    void anAttemptsErrorMessage_isCutTo256Characters_theLastErrorKeepsMore() {
        JobError longError = new JobError("x".repeat(1_000), "IllegalStateException", NOW);

        Job retrying = aQueuedJob(NOW).build().claim("t1", NOW, LEASE).retry(longError, at(10), at(1), GRACE);

        assertThat(retrying.attempts().getFirst().errorMessage()).hasSize(256);
        assertThat(retrying.lastError().message()).hasSize(1_000);
    }

    @Test
    void aJobRestoredWithMoreThan20Attempts_keepsTheLast20() {
        List<Attempt> many = new ArrayList<>();
        for (int n = 1; n <= 22; n++) {
            many.add(new Attempt(n, at(n), at(n), Outcome.FAILED, "T", "m"));
        }

        Job job = JobBuilder.from(aQueuedJob(NOW).build()).attempts(many).build();

        assertThat(job.attempts()).extracting(Attempt::number).startsWith(3).endsWith(22).hasSize(20);
    }

    private static Instant at(int seconds) {
        return NOW.plusSeconds(seconds);
    }
}
