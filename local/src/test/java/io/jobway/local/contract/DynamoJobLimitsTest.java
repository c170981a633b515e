package io.jobway.local.contract;

import static io.jobway.fixtures.Jobs.aRunningJob;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobway.fixtures.Jobs;
import io.jobway.job.Job;
import io.jobway.limits.Admission;
import io.jobway.limits.DynamoJobLimits;
import io.jobway.limits.JobLimit;
import io.jobway.limits.LimitStore;
import io.jobway.local.emulator.Emulators;
import io.jobway.local.emulator.ResourceRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Per-key limits on DynamoDB Local, with LimitsTable as template.yaml declares it: eight workers at once, each with
 * its own {@link DynamoJobLimits} (as eight Lambda environments have), never exceed a limit between them.
 */
class DynamoJobLimitsTest {
    private static final int WORKERS = 8;
    private static Emulators emulators;
    private static DynamoDbClient dynamo;
    private static String table;

    @BeforeAll
    static void start() {
        emulators = Emulators.inMemory();
        ResourceRegistry resources = emulators.createTemplateResources();
        dynamo = FunctionClients.at(emulators.dynamoEndpoint()).dynamo();
        table = resources.table("LimitsTable").name();
    }

    @AfterAll
    static void stop() {
        dynamo.close();
        emulators.close();
    }

    @Test
    void eight_workers_at_once_admit_exactly_the_rate_limit_in_a_window_and_refuse_the_rest_until_its_end()
            throws Exception {
        String tenant = Jobs.newTenantId();
        limits(tenant, "post", null, new JobLimit(10, Duration.ofMinutes(1), null));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES).plusSeconds(20);
        AtomicInteger admitted = new AtomicInteger();
        List<Instant> retryAts = java.util.Collections.synchronizedList(new ArrayList<>());

        onEightWorkers(worker -> {
            for (int i = 0; i < 25; i++) {
                Admission a = worker.admit(job(tenant, "post", "acct-1"), now.plusSeconds(90), now);
                if (a instanceof Admission.Admitted) {
                    admitted.incrementAndGet();
                } else {
                    retryAts.add(((Admission.Refused) a).retryAt());
                }
            }
        });

        assertThat(admitted).hasValue(10);
        assertThat(retryAts).hasSize(WORKERS * 25 - 10)
                .containsOnly(now.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1)));
        DynamoJobLimits next = new DynamoJobLimits(dynamo, table);
        assertThat(next.admit(job(tenant, "post", "acct-1"), now.plusSeconds(130), now.plusSeconds(40)))
                .as("the next window").isInstanceOf(Admission.Admitted.class);
        assertThat(next.admit(job(tenant, "post", "acct-2"), now.plusSeconds(90), now))
                .as("another key has its own count").isInstanceOf(Admission.Admitted.class);
    }

    @Test
    void eight_workers_at_once_never_run_more_than_max_running_of_one_key() throws Exception {
        String tenant = Jobs.newTenantId();
        limits(tenant, "post", null, new JobLimit(null, null, 2));
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();

        onEightWorkers(worker -> {
            for (int i = 0; i < 15; i++) {
                Job job = job(tenant, "post", "acct-1");
                Instant now = Instant.now();
                if (worker.admit(job, now.plusSeconds(90), now) instanceof Admission.Admitted slot) {
                    mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                    Thread.sleep(15);
                    running.decrementAndGet();
                    ran.incrementAndGet();
                    worker.release(job, slot);
                }
            }
        });

        assertThat(mostAtOnce.get()).isEqualTo(2);
        assertThat(ran.get()).as("slots were used, and given back").isGreaterThan(2);
    }

    @Test
    void a_slot_whose_worker_died_frees_when_its_lease_ends() {
        String tenant = Jobs.newTenantId();
        limits(tenant, "post", null, new JobLimit(null, null, 1));
        DynamoJobLimits worker = new DynamoJobLimits(dynamo, table);
        Instant now = Instant.now();

        assertThat(worker.admit(job(tenant, "post", "k"), now.plusSeconds(60), now)).isInstanceOf(Admission.Admitted.class);
        Admission refused = worker.admit(job(tenant, "post", "k"), now.plusSeconds(60), now);
        assertThat(refused).isInstanceOf(Admission.Refused.class);
        assertThat(((Admission.Refused) refused).retryAt()).isBetween(now.plusSeconds(2), now.plusSeconds(4));
        assertThat(worker.admit(job(tenant, "post", "k"), now.plusSeconds(120), now.plusSeconds(61)))
                .as("after the dead holder's lease").isInstanceOf(Admission.Admitted.class);
    }

    @Test
    void a_key_of_its_own_overrides_the_types_limit_and_a_type_without_limits_is_free() {
        String tenant = Jobs.newTenantId();
        limits(tenant, "post", null, new JobLimit(1, Duration.ofDays(1), null));
        limits(tenant, "post", "big-account", new JobLimit(3, Duration.ofDays(1), null));
        DynamoJobLimits worker = new DynamoJobLimits(dynamo, table);
        Instant now = Instant.now();

        assertThat(admittedOf(worker, tenant, "post", "small-account", 5, now)).isEqualTo(1);
        assertThat(admittedOf(worker, tenant, "post", "big-account", 5, now)).isEqualTo(3);
        assertThat(admittedOf(worker, tenant, "echo", "big-account", 5, now)).isEqualTo(5);
        assertThat(admittedOf(worker, tenant, "post", null, 5, now)).as("no rate key").isEqualTo(5);
    }

    @Test
    void a_job_refused_for_a_slot_spends_none_of_the_window() {
        String tenant = Jobs.newTenantId();
        limits(tenant, "post", null, new JobLimit(3, Duration.ofHours(1), 1));
        DynamoJobLimits worker = new DynamoJobLimits(dynamo, table);
        Instant now = Instant.now();
        Job holder = job(tenant, "post", "k");
        var slot = (Admission.Admitted) worker.admit(holder, now.plusSeconds(60), now);

        assertThat(admittedOf(worker, tenant, "post", "k", 10, now)).as("while the slot is held").isZero();
        worker.release(holder, slot);

        assertThat(admittedOf(worker, tenant, "post", "k", 10, now)).as("3 in the hour, 1 spent by the holder")
                .isEqualTo(2);
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private interface Work {
        void run(DynamoJobLimits worker) throws Exception;
    }

    /** Runs {@code work} on eight threads at once, each a worker with a cache of its own. */
    private static void onEightWorkers(Work work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                DynamoJobLimits worker = new DynamoJobLimits(dynamo, table);
                done.add(pool.submit(() -> {
                    go.await();
                    work.run(worker);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** How many of {@code n} attempts are admitted (slots given back at once). */
    private static int admittedOf(DynamoJobLimits worker, String tenant, String type, String key, int n, Instant now) {
        int admitted = 0;
        for (int i = 0; i < n; i++) {
            Job job = job(tenant, type, key);
            if (worker.admit(job, now.plusSeconds(60), now) instanceof Admission.Admitted slot) {
                admitted++;
                worker.release(job, slot);
            }
        }
        return admitted;
    }

    private static void limits(String tenant, String type, String key, JobLimit limit) {
        new LimitStore(dynamo, table).put(tenant, new LimitStore.Entry(type, key, limit));
    }

    private static Job job(String tenant, String type, String rateKey) {
        return aRunningJob(Instant.now()).tenantId(tenant).type(type).rateKey(rateKey).build();
    }
}
