package io.jobway.examples;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.json.Json;
import io.jobway.local.LocalRuntime;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Jobway on the local runtime with the examples' job types enabled and their handlers on the worker's class
 * path (as they would be in its package), driven through the HTTP API with a tenant's API key.
 */
final class ExampleStack implements AutoCloseable {
    static final String KEY = "jw_shop_" + "examplesecretexamplesecret";
    static final String JOB_TYPES = "echo,sleep,fail,http,campaign,payment,email,analytics,dm-drain,post,dm-analytics";

    private static ExampleStack shared;

    final LocalRuntime runtime;
    final int smtpPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ExampleStack() {
        this(java.time.Clock.systemUTC(), "jobway-local");
    }

    /** A stack of its own whose functions read {@code clock} (an AdjustableClock drives a day in seconds). */
    ExampleStack(java.time.Clock clock, String stackName) {
        smtpPort = freePort();
        runtime = LocalRuntime.start(LocalRuntime.Options.inMemory(Path.of("..", "template.yaml").toAbsolutePath())
                .withClock(clock).withStackName(stackName)
                // retries a second or two apart, so a failing email job runs out of attempts within seconds
                .withParameters(Map.of("JobTypes", JOB_TYPES, "RetryBaseSeconds", "1", "RetryCapSeconds", "2"))
                .withEnvironment(Map.of("WorkerFunction", Map.of("SMTP_HOST", "127.0.0.1",
                        "SMTP_PORT", Integer.toString(smtpPort), "SMTP_FROM", "receipts@shop.example",
                        "SMTP_STARTTLS", "off"))));
        runtime.registerKey(KEY, "shop", io.jobway.auth.Scopes.ALL); // the shop's own admin key: schedules, hook sources
    }

    /** One stack for the test JVM: starting the emulators costs seconds. */
    static synchronized ExampleStack shared() {
        if (shared == null) {
            shared = new ExampleStack();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    record Response(int status, String body) {
        JsonNode json() {
            return Json.parse(body);
        }
    }

    Response post(String path, String body, Map<String, String> headers, boolean withKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(runtime.baseUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("content-type", "application/json");
        headers.forEach(request::header);
        if (withKey) {
            request.header("authorization", "Bearer " + KEY);
        }
        return send(request);
    }

    Response post(String path, String body) {
        return post(path, body, Map.of(), true);
    }

    Response get(String path) {
        return getWith(path, KEY);
    }

    /** A GET with another credential: a browser token, say. */
    Response getWith(String path, String credential) {
        return send(HttpRequest.newBuilder(URI.create(runtime.baseUrl() + path)).GET()
                .header("authorization", "Bearer " + credential));
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new AssertionError("request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    String submit(String body) {
        Response response = post("/v1/jobs", body);
        if (response.status() != 202) {
            throw new AssertionError("submit gave " + response.status() + ": " + response.body());
        }
        return response.json().get("jobId").asText();
    }

    JsonNode job(String id) {
        return get("/v1/jobs/" + id).json();
    }

    JsonNode awaitJob(String id, Predicate<JsonNode> condition, Duration timeout) throws InterruptedException {
        Instant end = Instant.now().plus(timeout);
        JsonNode job = job(id);
        while (!condition.test(job)) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("job " + id + " did not reach the expected state in " + timeout
                        + "; last seen: " + job);
            }
            Thread.sleep(100);
            job = job(id);
        }
        return job;
    }

    JsonNode awaitStatus(String id, String status, Duration timeout) throws InterruptedException {
        return awaitJob(id, j -> j.get("status").asText().equals(status), timeout);
    }

    @Override
    public void close() {
        runtime.close();
    }
}
