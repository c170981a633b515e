package io.jobway.local.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.json.Json;
import io.jobway.local.LocalRuntime;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A running local runtime (in memory, free ports) and an HTTP client for it, as a user would drive it:
 * every end-to-end test goes through the HTTP API with an API key.
 */
final class LocalJobway implements AutoCloseable {
    static final String KEY_A = "jw_tenantA_" + "secretsecretsecretsecret";
    static final String KEY_B = "jw_tenantB_" + "secretsecretsecretsecret";
    private static LocalJobway shared;

    final LocalRuntime runtime;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    LocalJobway(LocalRuntime.Options options) {
        runtime = LocalRuntime.start(options);
        runtime.registerKey(KEY_A, "tenant-a", Set.of());
        runtime.registerKey(KEY_B, "tenant-b", Set.of());
    }

    /** One runtime for the test JVM: starting the emulators costs seconds. */
    static synchronized LocalJobway shared() {
        if (shared == null) {
            // webhook retries a second apart instead of 30: the retry tests wait for them
            shared = new LocalJobway(LocalRuntime.Options.inMemory(templatePath())
                    .withParameters(Map.of("WebhookRetryBaseSeconds", "1")));
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    static Path templatePath() {
        return Path.of("..", "template.yaml").toAbsolutePath().normalize();
    }

    record Response(int status, Map<String, List<String>> headers, String body) {
        JsonNode json() {
            return Json.parse(body);
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    Response post(String path, String key, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("content-type", "application/json");
        headers.forEach(request::header);
        return send(request, key);
    }

    Response post(String path, String key, String body) {
        return post(path, key, body, Map.of());
    }

    Response get(String path, String key) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), key);
    }

    /** Submits a job as tenant A and returns its id. */
    String submit(String body) {
        Response response = post("/v1/jobs", KEY_A, body);
        if (response.status() != 202) {
            throw new AssertionError("submit gave " + response.status() + ": " + response.body());
        }
        return response.json().get("jobId").asText();
    }

    JsonNode job(String id) {
        return get("/v1/jobs/" + id, KEY_A).json();
    }

    /** Polls the job until it matches, failing with its last state after {@code timeout}. */
    JsonNode awaitJob(String id, Predicate<JsonNode> condition, Duration timeout) {
        Instant end = Instant.now().plus(timeout);
        JsonNode job = job(id);
        while (!condition.test(job)) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("job " + id + " did not reach the expected state in " + timeout
                        + "; last seen: " + job);
            }
            pause(Duration.ofMillis(100));
            job = job(id);
        }
        return job;
    }

    JsonNode awaitStatus(String id, String status, Duration timeout) {
        return awaitJob(id, j -> j.get("status").asText().equals(status), timeout);
    }

    /**
     * Messages of the jobs queue that are visible or being handled; delayed ones (other tests' jobs due in 15
     * minutes) do not count.
     */
    int messagesVisibleOrInFlight() {
        var attributes = runtime.sqs().getQueueAttributes(b -> b.queueUrl(queueUrl("JobsQueue")).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return attributes.values().stream().mapToInt(Integer::parseInt).sum();
    }

    /** Every message now in the dead-letter queue (read and left there). */
    List<Message> deadLetters() {
        return runtime.sqs().receiveMessage(b -> b.queueUrl(queueUrl("JobsDeadLetterQueue")).maxNumberOfMessages(10)
                .visibilityTimeout(0).messageAttributeNames("All").waitTimeSeconds(1)).messages();
    }

    String queueUrl(String logicalId) {
        return runtime.resources().queue(logicalId).url();
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private URI uri(String path) {
        return URI.create(runtime.baseUrl() + path);
    }

    private Response send(HttpRequest.Builder request, String key) {
        if (key != null) {
            request.header("authorization", "Bearer " + key);
        }
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        runtime.close();
    }
}
