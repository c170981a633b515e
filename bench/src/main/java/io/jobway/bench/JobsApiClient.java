package io.jobway.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the load tests ask of the jobs API once a load is over: which jobs have succeeded, which job a key names. */
final class JobsApiClient {
    private static final Pattern JOB_ID = Pattern.compile("\"jobId\"\\s*:\\s*\"([^\"]+)\"");
    /** Requests at once: enough to check a few thousand jobs in seconds, few enough not to load the runtime. */
    private static final int PARALLEL = 8;

    private final String baseUrl;
    private final String apiKey;
    private final HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();

    JobsApiClient(String baseUrl, String apiKey) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
    }

    /** Polls each job every 2 s until it has succeeded or the deadline passes; returns the ones that had not. */
    Set<String> notYetSucceeded(Collection<String> jobIds, Instant deadline) throws InterruptedException {
        Set<String> pending = ConcurrentHashMap.newKeySet();
        pending.addAll(jobIds);
        while (!pending.isEmpty() && Instant.now().isBefore(deadline)) {
            inParallel(List.copyOf(pending), jobId -> {
                if (send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/jobs/" + jobId)).GET()).body()
                        .contains("\"status\":\"succeeded\"")) {
                    pending.remove(jobId);
                }
            });
            if (!pending.isEmpty()) {
                Thread.sleep(2_000);
            }
        }
        return pending;
    }

    /** Submits {@code body} again under each key; returns job id -> key for every key whose answer names a job. */
    Map<String, String> replay(Collection<String> keys, String body) throws InterruptedException {
        Map<String, String> jobs = new ConcurrentHashMap<>();
        inParallel(List.copyOf(keys), key -> {
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/jobs"))
                    .header("content-type", "application/json").header("Idempotency-Key", key)
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
            Matcher id = JOB_ID.matcher(response.body());
            if (response.statusCode() / 100 == 2 && id.find()) {
                jobs.put(id.group(1), key);
            }
        });
        return jobs;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.header("authorization", "Bearer " + apiKey).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private interface Check<T> {
        void run(T item) throws Exception;
    }

    private static <T> void inParallel(List<T> items, Check<T> check) {
        try (ExecutorService pool = Executors.newFixedThreadPool(PARALLEL, Thread.ofVirtual().factory())) {
            for (T item : items) {
                pool.submit(() -> {
                    check.run(item);
                    return null;
                });
            }
        }
    }
}
