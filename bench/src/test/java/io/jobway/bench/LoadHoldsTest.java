package io.jobway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobway.local.LocalRuntime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * The local runtime under the load a user's first load test sends: 200 submits a second for 20 s from up to 256
 * connections, more than two cores can run. Every submit is answered, none with a 5xx: accepted (202), or refused
 * at once with 429 beyond what the runtime can take; and every accepted job succeeds within 60 s of the last
 * submit. Latencies and the share accepted are measured by {@code ./jobway bench load}, not asserted here.
 */
class LoadHoldsTest {
    private static final String KEY = "jw_loadtest_" + "secretsecretsecretsecret";
    private static final Duration DRAIN = Duration.ofSeconds(60);

    @Test
    void two_hundred_submits_a_second_get_no_5xx_and_every_accepted_job_succeeds_within_a_minute() throws Exception {
        try (LocalRuntime runtime = LocalRuntime.start(LocalRuntime.Options.inMemory(Path.of("../template.yaml")))) {
            runtime.registerKey(KEY, "load", Set.of());
            SubmitLoad.Result result = new SubmitLoad(runtime.baseUrl(), KEY)
                    .run(200, Duration.ofSeconds(20), 256, i -> "{\"type\":\"echo\",\"payload\":{\"n\":" + i + "}}",
                            i -> null);

            // Beyond what it can run, the runtime says so at once: 429 with Retry-After, as API Gateway does
            // when a function's concurrency runs out. Never a 5xx, never a request left without an answer.
            assertThat(result.failures()).as("5xx answers and requests without an answer").isEmpty();
            assertThat(result.count(202) + result.count(429)).as("answers " + result.statuses())
                    .isEqualTo(result.sent());
            assertThat(result.accepted()).as("answers " + result.statuses()).hasSizeGreaterThan(result.sent() / 10);

            Instant deadline = Instant.ofEpochMilli(result.lastDueEpochMs()).plus(DRAIN);
            assertThat(notYetSucceeded(runtime.baseUrl(), result.accepted().keySet(), deadline))
                    .as("jobs not succeeded %s after the last submit", DRAIN).isEmpty();
        }
    }

    /** Polls each job until it has succeeded or the deadline passes; returns the ones that had not. */
    private static Set<String> notYetSucceeded(String baseUrl, Set<String> jobIds, Instant deadline)
            throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        Set<String> pending = ConcurrentHashMap.newKeySet();
        pending.addAll(jobIds);
        while (!pending.isEmpty() && Instant.now().isBefore(deadline)) {
            List<String> round = new ArrayList<>(pending);
            try (ExecutorService checks = Executors.newFixedThreadPool(8, Thread.ofVirtual().factory())) {
                for (String jobId : round) {
                    checks.submit(() -> {
                        if (status(http, baseUrl, jobId).contains("\"status\":\"succeeded\"")) {
                            pending.remove(jobId);
                        }
                        return null;
                    });
                }
            }
            if (!pending.isEmpty()) {
                Thread.sleep(2_000);
            }
        }
        return pending;
    }

    private static String status(HttpClient http, String baseUrl, String jobId) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/jobs/" + jobId))
                .header("authorization", "Bearer " + KEY).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
