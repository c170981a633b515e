package io.jobway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A 202 is a promise, also across crashes: {@code jobway up} on a data directory takes a steady load of sleep jobs
 * with Idempotency-Keys, is killed with SIGKILL three times and restarted each time, then stopped with SIGTERM
 * and restarted once more. Afterwards every accepted job succeeds within two minutes, no job succeeds twice, and
 * every key still answers with its job; a request that got no answer either made no job or made one that runs.
 */
class CrashSafetyTest {
    private static final String KEY = "jw_crash_" + "secretsecretsecretsecret";
    private static final Duration SETTLE = Duration.ofMinutes(2);
    private static final int ACCEPTED_PER_RUN = 60;
    private static final Pattern SUCCEEDED = Pattern.compile("\"event\":\"job\\.succeeded\",\"jobId\":\"([^\"]+)\"");

    /** Kept after the run (data directory and each run's log), to look into when it fails. */
    private static final Path DIR = Path.of("target", "crash-safety");

    @Test
    void no_accepted_job_is_lost_stuck_or_run_to_success_twice_after_three_kills_and_a_stop() throws Exception {
        deleteRecursively(DIR);
        Files.createDirectories(DIR);
        JobwayProcess jobway = new JobwayProcess(DIR.toAbsolutePath().resolve("data"), KEY);
        jobway.start();
        SubmitLoad load = new SubmitLoad(jobway.baseUrl(), KEY);
        CompletableFuture<SubmitLoad.Result> submitted = CompletableFuture.supplyAsync(() -> {
            try {
                return load.run(30, Duration.ofMinutes(5), 64, CrashSafetyTest::body, i -> "crash-" + i);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, Executors.newVirtualThreadPerTaskExecutor());

        // Each run is stopped only once it has accepted jobs of its own, however slow this machine is to start it.
        for (int kill = 0; kill < 3; kill++) {
            awaitAccepted(load, "run " + (kill + 1));
            jobway.kill();
            System.out.println("killed (SIGKILL) at " + Instant.now());
            copyRecursively(DIR.resolve("data"), DIR.resolve("data-after-kill-" + (kill + 1)));
            jobway.start();
            System.out.println("restarted at " + Instant.now());
        }
        awaitAccepted(load, "run 4");
        jobway.terminate();
        System.out.println("stopped (SIGTERM) at " + Instant.now());
        jobway.start();
        System.out.println("restarted at " + Instant.now());
        Instant lastRestart = Instant.now();
        awaitAccepted(load, "the run after the stop");
        load.stop();
        SubmitLoad.Result result = submitted.join();

        System.out.println("answers " + result.statuses() + ", accepted " + result.accepted().size());
        JobsApiClient jobs = new JobsApiClient(jobway.baseUrl(), KEY);
        Set<String> pending = new HashSet<>(result.acceptedKeys().keySet());
        // what became of the requests that got no answer: a replay either makes the job now or names the one made
        pending.addAll(jobs.replay(result.unansweredKeys(), body(0)).keySet());
        assertThat(jobs.notYetSucceeded(pending, lastRestart.plus(SETTLE)))
                .as("accepted jobs not succeeded %s after the last restart", SETTLE).isEmpty();

        assertThat(jobs.replay(result.acceptedKeys().values(), body(0)))
                .as("each key replayed names the job it was accepted for").isEqualTo(result.acceptedKeys());

        Map<String, Integer> successes = new HashMap<>();
        for (Path log : jobway.logs()) {
            Matcher m = SUCCEEDED.matcher(Files.readString(log));
            while (m.find()) {
                successes.merge(m.group(1), 1, Integer::sum);
            }
        }
        assertThat(successes.entrySet().stream().filter(e -> e.getValue() > 1).toList())
                .as("jobs that succeeded more than once").isEmpty();
        jobway.terminate();
    }

    /** Waits until the load has had {@value #ACCEPTED_PER_RUN} more 202s. */
    private static void awaitAccepted(SubmitLoad load, String run) throws InterruptedException {
        long target = load.acceptedSoFar() + ACCEPTED_PER_RUN;
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (load.acceptedSoFar() < target) {
            assertThat(Instant.now()).as("%s accepted %d jobs within 60 s", run, ACCEPTED_PER_RUN).isBefore(deadline);
            Thread.sleep(50);
        }
    }

    private static void deleteRecursively(Path path) throws java.io.IOException {
        if (Files.exists(path)) {
            try (var paths = Files.walk(path)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** What the killed process left on disk, before the restart's recovery changes it: to look into a failure. */
    private static void copyRecursively(Path from, Path to) throws java.io.IOException {
        try (var paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }

    private static String body(int i) {
        return "{\"type\":\"sleep\",\"payload\":{\"ms\":200},\"timeoutSeconds\":30,\"maxAttempts\":5}";
    }
}
