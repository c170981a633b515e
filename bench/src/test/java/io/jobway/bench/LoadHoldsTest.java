package io.jobway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobway.local.LocalRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local runtime under the load a user's first load test sends: 200 submits a second for 20 s from up to 256
 * connections, more than two cores can run. Every submit is answered, none with a 5xx: accepted (202), or refused
 * at once with 429 beyond what the runtime can take; and every accepted job succeeds within 60 s of the last
 * submit. Latencies and the share accepted are measured by {@code ./jobway bench load}, not asserted here.
 */
class LoadHoldsTest {
    private static final String KEY = "jw_loadtest_" + "secretsecretsecretsecret";
    private static final Path TEMPLATE = Path.of("../template.yaml");
    private static final Duration DRAIN = Duration.ofSeconds(60);
    private static final String ECHO = "{\"type\":\"echo\",\"payload\":{}}";

    @Test
    void two_hundred_submits_a_second_get_no_5xx_and_every_accepted_job_succeeds_within_a_minute() throws Exception {
        try (LocalRuntime runtime = LocalRuntime.start(LocalRuntime.Options.inMemory(TEMPLATE))) {
            SubmitLoad.Result result = holdsTheLoad(runtime, i -> null);
            assertThat(jobs(runtime).notYetSucceeded(result.accepted().keySet(), drainDeadline(result)))
                    .as("jobs not succeeded %s after the last submit", DRAIN).isEmpty();
        }
    }

    /**
     * {@code ./jobway up}'s default: both emulators commit to disk, and every submit carries an Idempotency-Key, so
     * the job and its key are written in one transaction (the path a retrying client takes). Afterwards each
     * accepted key still names its job.
     */
    @Test
    void on_a_data_directory_with_idempotency_keys_the_same_load_gets_no_5xx_and_every_key_keeps_its_job(
            @TempDir Path dataDir) throws Exception {
        try (LocalRuntime runtime = LocalRuntime.start(LocalRuntime.Options.inMemory(TEMPLATE).withDataDir(dataDir))) {
            SubmitLoad.Result result = holdsTheLoad(runtime, i -> "load-" + i);
            JobsApiClient jobs = jobs(runtime);
            assertThat(jobs.notYetSucceeded(result.accepted().keySet(), drainDeadline(result)))
                    .as("jobs not succeeded %s after the last submit", DRAIN).isEmpty();
            assertThat(jobs.replay(result.acceptedKeys().values(), ECHO))
                    .as("each key replayed names the job it was accepted for").isEqualTo(result.acceptedKeys());
        }
        try (var kept = Files.list(dataDir)) {
            assertThat(kept.toList()).as("what the emulators kept in the data directory").isNotEmpty();
        }
    }

    private static SubmitLoad.Result holdsTheLoad(LocalRuntime runtime, IntFunction<String> idempotencyKey)
            throws Exception {
        runtime.registerKey(KEY, "load", Set.of());
        SubmitLoad.Result result = new SubmitLoad(runtime.baseUrl(), KEY)
                .run(200, Duration.ofSeconds(20), 256, i -> ECHO, idempotencyKey);

        // Beyond what it can run, the runtime says so at once: 429 with Retry-After, as API Gateway does
        // when a function's concurrency runs out. Never a 5xx, never a request left without an answer.
        assertThat(result.failures()).as("5xx answers and requests without an answer").isEmpty();
        assertThat(result.count(202) + result.count(429)).as("answers " + result.statuses())
                .isEqualTo(result.sent());
        assertThat(result.accepted()).as("answers " + result.statuses()).hasSizeGreaterThan(result.sent() / 10);
        return result;
    }

    private static JobsApiClient jobs(LocalRuntime runtime) {
        return new JobsApiClient(runtime.baseUrl(), KEY);
    }

    private static Instant drainDeadline(SubmitLoad.Result result) {
        return Instant.ofEpochMilli(result.lastDueEpochMs()).plus(DRAIN);
    }
}
