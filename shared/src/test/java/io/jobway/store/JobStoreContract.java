package io.jobway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobway.fixtures.JobBuilder;
import io.jobway.fixtures.Jobs;
import io.jobway.job.Attempt;
import io.jobway.job.IllegalTransition;
import io.jobway.job.Job;
import io.jobway.job.JobStatus;
import io.jobway.job.Progress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every {@link JobStore} must do, run against each implementation by a small subclass (in-memory here;
 * DynamoDB Local, LocalStack and moto in the local module). Each test uses a tenant of its own and ids no other
 * test uses, so a subclass may share one table between tests; {@link #newStore()} should still be empty where
 * that is cheap. Times are passed to the store explicitly, so nothing here waits on a real clock.
 */
public abstract class JobStoreContract {
    protected static final Duration LEASE = Duration.ofSeconds(90);

    protected JobStore store;
    protected Instant now;
    protected String tenant;

    /** A store to test, fresh for each test. */
    protected abstract JobStore newStore();

    /** Where "now" comes from; the store only ever sees instants derived from it. */
    protected Clock clock() {
        return Clock.systemUTC();
    }

    @BeforeEach
    public void setUpStoreContract() {
        store = newStore();
        now = clock().instant().truncatedTo(ChronoUnit.MILLIS);
        tenant = Jobs.newTenantId();
    }

    // ------------------------------------------------------------------------------------ create / find / save

    @Test
    public void create_thenFind_returnsTheJobAsWritten() {
        Job job = Jobs.aJobWithEveryField(now).tenantId(tenant).build();

        store.create(job);

        assertThat(store.find(job.jobId())).contains(job);
    }

    @Test
    public void create_whenTheIdIsTaken_throwsJobAlreadyExists_andKeepsTheFirstJob() {
        Job first = queued().build();
        store.create(first);

        Job second = queued().jobId(first.jobId()).type("sleep").build();

        assertThatThrownBy(() -> store.create(second)).isInstanceOf(JobAlreadyExists.class)
                .hasMessageContaining(first.jobId());
        assertThat(store.find(first.jobId())).contains(first);
    }

    @Test
    public void create_again_for_the_same_job_succeeds_and_keeps_the_job_as_it_is_now() {
        // what the SDK's retry does when the first attempt's answer was lost: the job may be claimed by then
        Job job = queued().build();
        store.create(job);
        Job claimed = job.claim("lease-1", job.createdAt().plusSeconds(1), java.time.Duration.ofMinutes(1));
        Job saved = store.save(job, claimed);

        store.create(job);

        assertThat(store.find(job.jobId())).contains(saved);
    }

    @Test
    public void find_whenNoJobHasTheId_isEmpty() {
        assertThat(store.find(Jobs.newJobId())).isEmpty();
    }

    @Test
    public void save_withTheVersionRead_replacesTheJob() {
        Job job = created(queued());
        Job next = job.cancel(now, Jobs.RETENTION);

        Job saved = store.save(job, next);

        assertThat(asStored(saved)).isEqualTo(asStored(next));
        assertThat(store.find(job.jobId())).contains(asStored(next));
    }

    @Test
    public void save_keepsProgressAndRemovesFieldsThatWereCleared() {
        Job running = created(running(LEASE).progress(new Progress(30, "a third")).dueAt(now.plusSeconds(60)));
        Job finished = running.succeed("{\"ok\":1}", now, Jobs.RETENTION);

        store.save(running, finished);

        Job read = store.find(running.jobId()).orElseThrow();
        assertThat(read.leaseToken()).isNull();
        assertThat(read.leaseUntil()).isNull();
        assertThat(read.dueAt()).isNull();
        assertThat(read.progress()).isEqualTo(new Progress(30, "a third"));
        assertThat(read).isEqualTo(asStored(finished));
    }

    @Test
    public void save_withAStaleVersion_throwsConcurrentJobModification_andChangesNothing() {
        Job job = created(running(LEASE));
        Job cancelRequested = store.save(job, job.cancel(now, Jobs.RETENTION));

        assertThatThrownBy(() -> store.save(job, job.succeed("{}", now, Jobs.RETENTION)))
                .isInstanceOf(ConcurrentJobModification.class)
                .hasMessageContaining(job.jobId());
        assertThat(store.find(job.jobId())).contains(cancelRequested);
    }

    @Test
    public void save_ofAJobThatWasNeverCreated_throwsConcurrentJobModification() {
        Job job = queued().build();

        assertThatThrownBy(() -> store.save(job, job.cancel(now, Jobs.RETENTION)))
                .isInstanceOf(ConcurrentJobModification.class);
        assertThat(store.find(job.jobId())).isEmpty();
    }

    @Test
    public void save_ofSomethingOtherThanTheNextVersion_isRefused() {
        Job job = created(queued());
        Job skipping = JobBuilder.from(job).version(job.version() + 2).build();

        assertThatThrownBy(() -> store.save(job, skipping)).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.find(job.jobId())).contains(job);
    }

    @Test
    public void save_ofAMoveTheTransitionTableRefuses_throwsIllegalTransition_andChangesNothing() {
        Job succeeded = created(Jobs.aSucceededJob(now).tenantId(tenant));
        Job reopened = JobBuilder.from(succeeded).status(JobStatus.QUEUED).version(succeeded.version() + 1).build();

        assertThatThrownBy(() -> store.save(succeeded, reopened))
                .isInstanceOfSatisfying(IllegalTransition.class, e -> {
                    assertThat(e.jobId()).isEqualTo(succeeded.jobId());
                    assertThat(e.from()).isEqualTo(JobStatus.SUCCEEDED);
                    assertThat(e.to()).isEqualTo(JobStatus.QUEUED);
                })
                .hasMessage("job " + succeeded.jobId() + " cannot go from succeeded to queued");
        assertThat(store.find(succeeded.jobId())).contains(succeeded);
    }

    @Test
    public void save_thatKeepsTheState_isNoTransition_evenForAFinishedJob() {
        Job cancelled = created(Jobs.aCancelledJob(now).tenantId(tenant).dueAt(now.minusSeconds(1)));

        Job leftTheIndex = store.save(cancelled, cancelled.sweptUntil(null, now));

        assertThat(store.find(cancelled.jobId())).contains(leftTheIndex);
        assertThat(leftTheIndex.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(leftTheIndex.dueAt()).isNull();
    }

    // ------------------------------------------------------------------------------------------------- claim

    @Test
    public void claim_whenQueued_startsAttemptOneUnderTheLease() {
        Job job = created(queued().dueAt(now.plusSeconds(120)));

        ClaimResult result = store.claim(job.jobId(), "token-1", now, LEASE);

        Job expected = job.claim("token-1", now, LEASE);
        assertThat(result).isEqualTo(new ClaimResult.Claimed(expected));
        assertThat(expected.attempt()).isEqualTo(1);
        assertThat(expected.version()).isEqualTo(job.version() + 1);
        assertThat(store.find(job.jobId())).contains(expected);
        assertThat(store.findDue(now.plusSeconds(3600), 100)).extracting(Job::jobId).doesNotContain(job.jobId());
    }

    @Test
    public void claim_whenRetryingAndDue_startsTheNextAttempt() {
        Job job = created(retrying());

        ClaimResult result = store.claim(job.jobId(), "token-2", now, LEASE);

        assertThat(result).isEqualTo(new ClaimResult.Claimed(job.claim("token-2", now, LEASE)));
        assertThat(((ClaimResult.Claimed) result).job().attempt()).isEqualTo(2);
        assertThat(((ClaimResult.Claimed) result).job().lastError()).isEqualTo(job.lastError());
    }

    @Test
    public void claim_whenMissing_returnsMissing() {
        assertThat(store.claim(Jobs.newJobId(), "token", now, LEASE)).isEqualTo(new ClaimResult.Missing());
    }

    @ParameterizedTest
    @EnumSource(value = JobStatus.class, names = {"SUCCEEDED", "DEAD", "CANCELLED", "SCHEDULED"})
    public void claim_whenFinishedOrScheduled_isNotClaimable_andChangesNothing(JobStatus status) {
        Job job = created(Jobs.aJobIn(status, now).tenantId(tenant).runAt(now.minusSeconds(60)));

        assertNotClaimable(job, now);
    }

    @Test
    public void claim_whenRunningUnderALiveLease_isNotClaimable() {
        Job job = created(running(Duration.ofSeconds(30)));

        assertNotClaimable(job, now.plusSeconds(30).minusMillis(1));
    }

    @Test
    public void claim_whenLeaseExpired_startsANewAttempt() {
        Job job = created(running(Duration.ofSeconds(30)));
        Instant later = now.plusSeconds(30);

        ClaimResult result = store.claim(job.jobId(), "second-worker", later, LEASE);

        Job expected = job.claim("second-worker", later, LEASE);
        assertThat(result).isEqualTo(new ClaimResult.Claimed(expected));
        assertThat(expected.attempt()).isEqualTo(job.attempt() + 1);
        assertThat(store.find(job.jobId()).orElseThrow().leaseToken()).isEqualTo("second-worker");
    }

    @Test
    public void claim_startsTheAttemptInTheHistory_andTheOutcomeWrittenAfterEndsIt() {
        Job job = created(retrying().attempts(List.of(
                new Attempt(1, now.minusSeconds(10), now.minusSeconds(5), Attempt.Outcome.FAILED, "E", "boom"))));

        Job claimed = ((ClaimResult.Claimed) store.claim(job.jobId(), "token", now, LEASE)).job();
        store.save(claimed, claimed.succeed("{}", now.plusSeconds(1), Jobs.RETENTION));

        assertThat(claimed.attempts()).last().isEqualTo(new Attempt(2, now, null, null, null, null));
        assertThat(store.find(job.jobId()).orElseThrow().attempts()).containsExactly(
                new Attempt(1, now.minusSeconds(10), now.minusSeconds(5), Attempt.Outcome.FAILED, "E", "boom"),
                new Attempt(2, now, now.plusSeconds(1), Attempt.Outcome.SUCCEEDED, null, null));
    }

    @Test
    public void claim_ofAJobWithAFullHistory_keepsTheLast20() {
        List<Attempt> full = new ArrayList<>();
        for (int n = 1; n <= Attempt.KEPT; n++) {
            full.add(new Attempt(n, now.minusSeconds(100 - n), now.minusSeconds(99 - n), Attempt.Outcome.FAILED,
                    "E", "boom " + n));
        }
        Job job = created(retrying().attempt(Attempt.KEPT).maxAttempts(25).attempts(full));

        ClaimResult result = store.claim(job.jobId(), "token", now, LEASE);

        assertThat(result).isEqualTo(new ClaimResult.Claimed(job.claim("token", now, LEASE)));
        assertThat(store.find(job.jobId()).orElseThrow().attempts()).hasSize(Attempt.KEPT)
                .extracting(Attempt::number).startsWith(2).endsWith(21);
    }

    @Test
    public void claim_whenAttemptsAreExhausted_isNotClaimable() {
        Job expiredLastAttempt = created(running(Duration.ZERO).attempt(3).maxAttempts(3));
        Job retryingWithNoneLeft = created(retrying().attempt(2).maxAttempts(2));

        assertNotClaimable(expiredLastAttempt, now.plusSeconds(1));
        assertNotClaimable(retryingWithNoneLeft, now);
    }

    @Test
    public void claim_whenCancelRequested_isNotClaimable() {
        Job job = created(running(Duration.ZERO).cancelRequested(true));

        assertNotClaimable(job, now.plusSeconds(1));
    }

    @Test
    public void claim_whenRunAtIsFurtherAheadThanTheClockSkew_isNotClaimable() {
        Job job = created(retrying().runAt(now.plus(Job.CLOCK_SKEW).plusMillis(1)));

        assertNotClaimable(job, now);
    }

    @Test
    public void claim_whenRunAtIsWithinTheClockSkew_claims() {
        Job job = created(retrying().runAt(now.plus(Job.CLOCK_SKEW)));

        assertThat(store.claim(job.jobId(), "early", now, LEASE)).isInstanceOf(ClaimResult.Claimed.class);
    }

    /**
     * The store's claim and {@link Job#claimableAt} must agree on every job: each state with every combination
     * of lease (none, live, just ended), cancel request, attempts left and run time (none, within the clock
     * skew, just beyond it).
     */
    @ParameterizedTest
    @EnumSource(JobStatus.class)
    public void claim_agreesWithClaimableAt_forEveryCombinationOfTheRule(JobStatus status) {
        int claimed = 0;
        for (Instant leaseUntil : new Instant[] {null, now.plusSeconds(30), now}) {
            for (boolean cancelRequested : new boolean[] {false, true}) {
                for (int attempt : new int[] {2, 3}) {
                    for (Instant runAt : new Instant[] {null, now.plus(Job.CLOCK_SKEW),
                            now.plus(Job.CLOCK_SKEW).plusMillis(1)}) {
                        Job job = created(Jobs.aJobIn(status, now).tenantId(tenant).leaseUntil(leaseUntil)
                                .cancelRequested(cancelRequested).attempt(attempt).maxAttempts(3).runAt(runAt));
                        String variant = status.wireName() + " leaseUntil=" + leaseUntil + " cancelRequested="
                                + cancelRequested + " attempt=" + attempt + "/3 runAt=" + runAt + " now=" + now;

                        ClaimResult result = store.claim(job.jobId(), "token", now, LEASE);

                        if (job.claimableAt(now)) {
                            claimed++;
                            assertThat(result).as(variant)
                                    .isEqualTo(new ClaimResult.Claimed(job.claim("token", now, LEASE)));
                        } else {
                            assertThat(result).as(variant).isEqualTo(new ClaimResult.NotClaimable(job));
                            assertThat(store.find(job.jobId())).as(variant).contains(job);
                        }
                    }
                }
            }
        }
        // queued and retrying: 3 leases x 2 run times; running: 2 of the 3 leases (none, ended) x 2 run times
        int expected = switch (status) {
            case QUEUED, RETRYING -> 6;
            case RUNNING -> 4;
            default -> 0;
        };
        assertThat(claimed).as("combinations claimed").isEqualTo(expected);
    }

    @Test
    public void claim_byManyWorkersAtOnce_letsExactlyOneWin() throws Exception {
        Job job = created(queued());
        int workers = 8;
        CountDownLatch ready = new CountDownLatch(workers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ClaimResult>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(workers)) {
            for (int i = 0; i < workers; i++) {
                String token = "worker-" + i;
                Callable<ClaimResult> claim = () -> {
                    ready.countDown();
                    go.await();
                    return store.claim(job.jobId(), token, now, LEASE);
                };
                results.add(pool.submit(claim));
            }
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<ClaimResult> outcomes = new ArrayList<>();
            for (Future<ClaimResult> f : results) {
                outcomes.add(f.get(30, TimeUnit.SECONDS));
            }

            List<Job> winners = outcomes.stream().filter(ClaimResult.Claimed.class::isInstance)
                    .map(r -> ((ClaimResult.Claimed) r).job()).toList();
            assertThat(winners).hasSize(1);
            assertThat(outcomes).filteredOn(ClaimResult.NotClaimable.class::isInstance).hasSize(workers - 1);
            Job stored = store.find(job.jobId()).orElseThrow();
            assertThat(stored.attempt()).isEqualTo(1);
            assertThat(stored.leaseToken()).isEqualTo(winners.get(0).leaseToken());
        }
    }

    // ------------------------------------------------------------------------------------------- tombstones

    @Test
    public void tombstoneIfAbsent_thenCreate_failsWithJobAlreadyExists_andFindIsEmpty() {
        Job late = queued().build();

        assertThat(store.tombstoneIfAbsent(late.jobId(), now)).isTrue();

        assertThatThrownBy(() -> store.create(late)).isInstanceOf(JobAlreadyExists.class);
        assertThat(store.find(late.jobId())).isEmpty();
        assertThat(store.claim(late.jobId(), "t", now, LEASE)).isEqualTo(new ClaimResult.Missing());
        assertThat(store.tombstoneIfAbsent(late.jobId(), now)).as("a second worker gives up the id too").isTrue();
    }

    @Test
    public void tombstoneIfAbsent_whenTheJobExists_returnsFalse_andKeepsTheJob() {
        Job job = created(queued());

        assertThat(store.tombstoneIfAbsent(job.jobId(), now)).isFalse();
        assertThat(store.find(job.jobId())).contains(job);
    }

    @Test
    public void tombstones_areNotListed() {
        Job job = created(queued());
        store.tombstoneIfAbsent(Jobs.newJobId(), now);

        assertThat(store.list(tenant, query(null, null, 100, null)).items()).containsExactly(job);
    }

    // ---------------------------------------------------------------------------------------- idempotency keys

    @Test
    public void createIdempotent_firstCall_writesTheJobAndTheKey() {
        Job job = queued().idempotencyKey("key-1").build();
        IdempotencyRecord record = keyRecord("key-1", job, "hash-a");

        assertThat(store.createIdempotent(job, record, now)).isEmpty();

        assertThat(store.find(job.jobId())).contains(job);
        assertThat(store.findIdempotencyRecord(tenant, "key-1", now)).contains(record);
    }

    @Test
    public void delete_takesTheJobsKeyWithIt_soTheKeyMakesANewJob_butLeavesAKeyThatNamesAnotherJob() {
        Job job = queued().idempotencyKey("key-purged").build();
        store.createIdempotent(job, keyRecord("key-purged", job, "hash-a"), now);
        Job other = queued().idempotencyKey("key-kept").build();
        Job successor = queued().build();
        store.createIdempotent(other, keyRecord("key-kept", successor, "hash-b"), now); // the key names another job

        assertThat(store.delete(job)).isTrue();
        assertThat(store.delete(other)).isTrue();

        assertThat(store.find(job.jobId())).isEmpty();
        assertThat(store.findIdempotencyRecord(tenant, "key-purged", now)).isEmpty();
        assertThat(store.find(other.jobId())).isEmpty();
        assertThat(store.findIdempotencyRecord(tenant, "key-kept", now)).map(IdempotencyRecord::jobId)
                .contains(successor.jobId());
    }

    @Test
    public void createIdempotent_secondCallWithTheSameKey_returnsTheFirstRecord_andWritesNothing() {
        Job first = queued().idempotencyKey("key-1").build();
        IdempotencyRecord firstRecord = keyRecord("key-1", first, "hash-a");
        store.createIdempotent(first, firstRecord, now);

        Job second = queued().idempotencyKey("key-1").build();
        var existing = store.createIdempotent(second, keyRecord("key-1", second, "hash-b"), now.plusSeconds(1));

        assertThat(existing).contains(firstRecord);
        assertThat(store.find(second.jobId())).isEmpty();
        assertThat(store.findIdempotencyRecord(tenant, "key-1", now)).contains(firstRecord);
        assertThat(store.list(tenant, query(null, null, 100, null)).items()).containsExactly(first);
    }

    @Test
    public void createIdempotent_afterTheKeyExpired_takesTheKeyAgain() {
        Job first = queued().build();
        store.createIdempotent(first, keyRecord("key-1", first, "hash-a"), now);
        Instant dayLater = now.plus(Duration.ofHours(24));

        assertThat(store.findIdempotencyRecord(tenant, "key-1", dayLater)).isEmpty();
        Job second = queued().build();
        IdempotencyRecord secondRecord = new IdempotencyRecord(tenant, "key-1", second.jobId(), "hash-b",
                aDayAfter(dayLater));

        assertThat(store.createIdempotent(second, secondRecord, dayLater)).isEmpty();
        assertThat(store.find(second.jobId())).contains(second);
        assertThat(store.findIdempotencyRecord(tenant, "key-1", dayLater)).contains(secondRecord);
    }

    @Test
    public void createIdempotent_keysBelongToOneTenant() {
        Job mine = queued().build();
        store.createIdempotent(mine, keyRecord("shared-key", mine, "hash-a"), now);
        String otherTenant = Jobs.newTenantId();
        Job theirs = queued().tenantId(otherTenant).build();
        IdempotencyRecord theirRecord = new IdempotencyRecord(otherTenant, "shared-key", theirs.jobId(), "hash-a",
                aDayAfter(now));

        assertThat(store.createIdempotent(theirs, theirRecord, now)).isEmpty();
        assertThat(store.find(theirs.jobId())).contains(theirs);
        assertThat(store.findIdempotencyRecord(otherTenant, "shared-key", now)).contains(theirRecord);
        assertThat(store.findIdempotencyRecord(tenant, "shared-key", now).orElseThrow().jobId()).isEqualTo(mine.jobId());
    }

    @Test
    public void createIdempotent_whenTheJobIdIsTaken_throwsJobAlreadyExists_andLeavesTheKeyFree() {
        Job existing = created(queued());
        Job clash = queued().jobId(existing.jobId()).build();

        assertThatThrownBy(() -> store.createIdempotent(clash, keyRecord("key-9", clash, "h"), now))
                .isInstanceOf(JobAlreadyExists.class);
        assertThat(store.findIdempotencyRecord(tenant, "key-9", now)).isEmpty();
        assertThat(store.find(existing.jobId())).contains(existing);
    }

    @Test
    public void findIdempotencyRecord_whenTheKeyWasNeverUsed_isEmpty() {
        assertThat(store.findIdempotencyRecord(tenant, "never-used", now)).isEmpty();
    }

    // --------------------------------------------------------------------------------------------------- list

    @Test
    public void list_isNewestFirst() {
        List<Job> jobs = createJobs(4);

        JobPage page = store.list(tenant, query(null, null, 10, null));

        assertThat(page.items()).containsExactlyElementsOf(jobs.reversed());
        assertThat(page.nextAfterJobId()).isNull();
    }

    @Test
    public void list_showsOnlyTheTenantsOwnJobs() {
        List<Job> mine = createJobs(2);
        String otherTenant = Jobs.newTenantId();
        Job theirs = created(queued().tenantId(otherTenant));

        assertThat(store.list(tenant, query(null, null, 100, null)).items()).containsExactlyElementsOf(mine.reversed());
        assertThat(store.list(otherTenant, query(null, null, 100, null)).items()).containsExactly(theirs);
    }

    @Test
    public void list_ofATenantWithoutJobs_isEmptyAndHasNoNextPage() {
        createJobs(1);

        JobPage page = store.list(Jobs.newTenantId(), query(null, null, 10, null));

        assertThat(page.items()).isEmpty();
        assertThat(page.nextAfterJobId()).isNull();
    }

    @Test
    public void list_filtersByStatus() {
        Job queued = created(queued());
        Job dead = created(Jobs.aDeadJob(now).tenantId(tenant));
        Job dead2 = created(Jobs.aDeadJob(now).tenantId(tenant));

        assertThat(store.list(tenant, query(JobStatus.DEAD, null, 10, null)).items()).containsExactly(dead2, dead);
        assertThat(store.list(tenant, query(JobStatus.QUEUED, null, 10, null)).items()).containsExactly(queued);
        assertThat(store.list(tenant, query(JobStatus.RUNNING, null, 10, null)).items()).isEmpty();
    }

    @Test
    public void list_filtersByType_andByStatusAndTypeTogether() {
        Job echo = created(queued());
        Job sleep = created(queued().type("sleep"));
        Job deadSleep = created(Jobs.aDeadJob(now).tenantId(tenant).type("sleep"));

        assertThat(store.list(tenant, query(null, "sleep", 10, null)).items()).containsExactly(deadSleep, sleep);
        assertThat(store.list(tenant, query(null, "echo", 10, null)).items()).containsExactly(echo);
        assertThat(store.list(tenant, query(JobStatus.QUEUED, "sleep", 10, null)).items()).containsExactly(sleep);
    }

    @ParameterizedTest(name = "limit {0}")
    @ValueSource(ints = {1, 2, 3, 7, 10})
    public void list_followingTheCursor_visitsEveryJobExactlyOnce_newestFirst(int limit) {
        List<Job> jobs = createJobs(7);

        List<Job> visited = listAll(null, null, limit);

        assertThat(visited).containsExactlyElementsOf(jobs.reversed());
    }

    @Test
    public void list_followingTheCursorWithAFilter_visitsEveryMatchExactlyOnce() {
        List<Job> sleeps = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            Job job = created(queued().type(i % 3 == 0 ? "sleep" : "echo"));
            if (i % 3 == 0) {
                sleeps.add(job);
            }
        }

        assertThat(listAll(null, "sleep", 2)).containsExactlyElementsOf(sleeps.reversed());
    }

    @Test
    public void list_filtersByTag_matchingWholeTags_andWithTheOtherFilters() {
        Job tagged = created(queued().tags("user:42"));
        Job taggedSleep = created(queued().type("sleep").tags("team/a", "user:42"));
        created(queued().tags("user:420", "user:4"));
        created(queued());
        created(queued().tenantId(Jobs.newTenantId()).tags("user:42"));

        assertThat(store.list(tenant, query(null, null, 10, null).withTag("user:42")).items())
                .containsExactly(taggedSleep, tagged);
        assertThat(store.list(tenant, query(null, "echo", 10, null).withTag("user:42")).items())
                .containsExactly(tagged);
        assertThat(store.list(tenant, query(JobStatus.DEAD, null, 10, null).withTag("user:42")).items()).isEmpty();
        assertThat(store.list(tenant, query(null, null, 10, null).withTag("nobody")).items()).isEmpty();
    }

    @Test
    public void list_followingTheCursorWithATag_visitsEveryTaggedJobExactlyOnce() {
        List<Job> tagged = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            Job job = created(i % 3 == 0 ? queued().tags("page") : queued());
            if (i % 3 == 0) {
                tagged.add(job);
            }
        }

        List<Job> all = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages < 20; pages++) {
            JobPage page = store.list(tenant, query(null, null, 2, after).withTag("page"));
            assertThat(page.items()).hasSizeLessThanOrEqualTo(2).allMatch(job -> job.tags().contains("page"));
            all.addAll(page.items());
            after = page.nextAfterJobId();
            if (after == null) {
                break;
            }
        }
        assertThat(all).containsExactlyElementsOf(tagged.reversed());
    }

    @Test
    public void create_keepsTheTags_andTheClaimAndSavesKeepThem() {
        Job job = created(queued().tags("user:42", "b"));

        store.claim(job.jobId(), "w", now, LEASE);
        Job running = store.find(job.jobId()).orElseThrow();
        store.save(running, running.succeed("{}", now.plusSeconds(1), Duration.ofDays(1)));

        assertThat(running.tags()).containsExactly("user:42", "b");
        assertThat(store.find(job.jobId()).orElseThrow().tags()).containsExactly("user:42", "b");
    }

    @Test
    public void list_pagesHoldAtMostTheLimit() {
        createJobs(5);

        JobPage first = store.list(tenant, query(null, null, 2, null));

        assertThat(first.items()).hasSize(2);
        assertThat(first.nextAfterJobId()).isNotNull();
    }

    // ------------------------------------------------------------------------------------------------ findDue

    @Test
    public void findDue_returnsRequeuedJobsWhoseDueTimePassed_andNoOthers() {
        Job due = created(requeued(now.minusSeconds(1)));
        Job dueNow = created(requeued(now));
        Job notYet = created(requeued(now.plusSeconds(60)));
        Job plainQueued = created(queued());
        Job running = created(running(LEASE));

        List<String> found = store.findDue(now, 100).stream().map(Job::jobId).toList();

        assertThat(found).contains(due.jobId(), dueNow.jobId())
                .doesNotContain(notYet.jobId(), plainQueued.jobId(), running.jobId());
        assertThat(store.findDue(now, 100)).filteredOn(j -> j.jobId().equals(due.jobId())).containsExactly(due);
    }

    @Test
    public void findDue_returnsNoMoreThanTheLimit() {
        for (int i = 0; i < 3; i++) {
            created(requeued(now.minusSeconds(10 + i)));
        }

        assertThat(store.findDue(now, 2)).hasSize(2);
    }

    @Test
    public void findDue_afterTheSweeperPushedTheDueTime_skipsTheJobUntilThen() {
        Job due = created(requeued(now.minusSeconds(1)));
        store.save(due, due.sweptUntil(now.plusSeconds(300), now));

        assertThat(store.findDue(now, 100)).extracting(Job::jobId).doesNotContain(due.jobId());
        assertThat(store.findDue(now.plusSeconds(300), 100)).extracting(Job::jobId).contains(due.jobId());
    }

    // -------------------------------------------------------------------------------------------------- helpers

    protected JobBuilder queued() {
        return Jobs.aQueuedJob(now).tenantId(tenant);
    }

    protected JobBuilder running(Duration leaseLeft) {
        return Jobs.aRunningJob(now, leaseLeft).tenantId(tenant);
    }

    protected JobBuilder retrying() {
        return Jobs.aRetryingJob(now).tenantId(tenant);
    }

    /** Dead, then retried by an operator: queued, with the sweeper to look at it at {@code dueAt}. */
    protected JobBuilder requeued(Instant dueAt) {
        Job dead = Jobs.aDeadJob(now.minusSeconds(600)).tenantId(tenant).build();
        return JobBuilder.from(dead.requeue(now.minusSeconds(300), dueAt));
    }

    protected Job created(JobBuilder builder) {
        Job job = builder.build();
        store.create(job);
        return job;
    }

    /** {@code count} queued jobs, oldest first. */
    protected List<Job> createJobs(int count) {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            jobs.add(created(queued()));
        }
        return jobs;
    }

    protected static JobQuery query(JobStatus status, String type, int limit, String after) {
        return new JobQuery(status, type, limit, after);
    }

    /**
     * Follows {@code nextAfterJobId} until it is null. A page may come back empty only as the last one (DynamoDB
     * can hand out a cursor on the last full page that leads to nothing).
     */
    protected List<Job> listAll(JobStatus status, String type, int limit) {
        List<Job> all = new ArrayList<>();
        String after = null;
        for (int pages = 0; ; pages++) {
            assertThat(pages).as("pages followed; the cursor must come to an end").isLessThan(100);
            JobPage page = store.list(tenant, query(status, type, limit, after));
            assertThat(page.items()).hasSizeLessThanOrEqualTo(limit);
            if (page.items().isEmpty()) {
                assertThat(page.nextAfterJobId()).as("an empty page ends the listing").isNull();
            }
            all.addAll(page.items());
            after = page.nextAfterJobId();
            if (after == null) {
                return all;
            }
        }
    }

    private IdempotencyRecord keyRecord(String key, Job job, String hash) {
        return new IdempotencyRecord(tenant, key, job.jobId(), hash, aDayAfter(now));
    }

    /** The job as a store keeps it: {@code expiresAt} is a TTL attribute, in whole seconds. */
    protected static Job asStored(Job job) {
        return job.expiresAt() == null ? job
                : JobBuilder.from(job).expiresAt(job.expiresAt().truncatedTo(ChronoUnit.SECONDS)).build();
    }

    /** When a key taken at {@code t} expires. Stores keep this to the second (it is a TTL attribute). */
    protected static Instant aDayAfter(Instant t) {
        return t.plus(Duration.ofHours(24)).truncatedTo(ChronoUnit.SECONDS);
    }

    private void assertNotClaimable(Job job, Instant at) {
        ClaimResult result = store.claim(job.jobId(), "hopeful", at, LEASE);

        assertThat(result).isEqualTo(new ClaimResult.NotClaimable(job));
        assertThat(store.find(job.jobId())).contains(job);
    }
}
