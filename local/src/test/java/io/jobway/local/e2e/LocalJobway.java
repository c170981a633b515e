package io.jobway.local.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.json.Json;
import io.jobway.local.LocalRuntime;
import io.jobway.local.emulator.AwsEndpoints;
import io.jobway.local.lambda.LocalFunction;
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
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The Jobway under test and an HTTP client for it, as a user would drive it: every end-to-end test goes through
 * the HTTP API with an API key. Which Jobway that is depends on {@link E2eTarget}: the local runtime (in memory,
 * free ports) on its embedded emulators, on moto or on LocalStack, or a deployed stack.
 */
final class LocalJobway implements AutoCloseable {
    static final String KEY_A = "jw_tenantA_" + "secretsecretsecretsecret";
    static final String KEY_B = "jw_tenantB_" + "secretsecretsecretsecret";
    private static final String REGION = "us-east-1";
    private static LocalJobway shared;
    private static ExternalEmulator emulator;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(LocalJobway::stopShared));
    }

    private final RunningJobway jobway;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private LocalJobway(RunningJobway jobway) {
        this.jobway = jobway;
        jobway.registerKey(KEY_A, "tenant-a");
        jobway.registerKey(KEY_B, "tenant-b");
    }

    /**
     * A local runtime of its own, on the target's emulators: embedded ones of its own, or the JVM's one moto or
     * LocalStack (give it a stack name of its own there, or it shares queues with the shared runtime).
     */
    static LocalJobway start(LocalRuntime.Options options) {
        E2eTarget target = E2eTarget.current();
        E2eTarget.requireLocalRuntime("the functions run in Lambda, not in this JVM");
        return new LocalJobway(RunningJobway.of(target == E2eTarget.EMBEDDED ? LocalRuntime.start(options)
                : LocalRuntime.start(options, AwsEndpoints.external(externalEmulator().endpoint(), REGION))));
    }

    /** One Jobway for the test JVM: starting the emulators costs seconds. */
    static synchronized LocalJobway shared() {
        if (shared == null) {
            // webhook retries a second apart instead of 30, and 5 of them: the retry tests wait for them
            shared = E2eTarget.current() == E2eTarget.AWS ? new LocalJobway(DeployedJobway.fromOutputs())
                    : start(LocalRuntime.Options.inMemory(templatePath())
                    .withParameters(Map.of("WebhookRetryBaseSeconds", "1", "WebhookMaxAttempts", "5")));
        }
        return shared;
    }

    /** The emulator process of this JVM for the moto and localstack targets, started on first use. */
    private static synchronized ExternalEmulator externalEmulator() {
        if (emulator == null) {
            emulator = switch (E2eTarget.current()) {
                case MOTO -> MotoServer.start();
                case LOCALSTACK -> HostLocalStack.start();
                default -> throw new IllegalStateException("no external emulator on " + E2eTarget.current());
            };
        }
        return emulator;
    }

    /** The JVM's moto or LocalStack endpoint, and clients for it (started on first use). */
    static URI emulatorEndpoint() {
        return externalEmulator().endpoint();
    }

    /** The runtime first, then the emulator it works against (one hook, so the order holds). */
    private static synchronized void stopShared() {
        if (shared != null) {
            shared.close();
            shared = null;
        }
        if (emulator != null) {
            emulator.close();
            emulator = null;
        }
    }

    /**
     * Holds the in-process runtime's own sweeps until closed (a no-op on a deployed stack): a sweep that read the
     * dead-letter queue would rest the message a test looks for out of sight for 10 minutes.
     */
    io.jobway.local.sources.ScheduleEventSource.Hold holdingSweeps() {
        return jobway.localRuntime().map(LocalRuntime::holdSchedules).orElse(() -> { });
    }

    /** The in-process runtime; skips the calling test on a deployed stack, saying why. */
    LocalRuntime local(String why) {
        E2eTarget.requireLocalRuntime(why);
        return jobway.localRuntime().orElseThrow();
    }

    /** A function of the in-process runtime, to invoke directly; skips the calling test on a deployed stack. */
    LocalFunction function(String logicalId) {
        return local("the test invokes a function in this JVM").function(logicalId);
    }

    void registerKey(String key, String tenantId) {
        jobway.registerKey(key, tenantId);
    }

    String baseUrl() {
        return jobway.baseUrl();
    }

    URI webSocketUrl() {
        return jobway.webSocketUrl();
    }

    SqsClient sqs() {
        return jobway.sqs();
    }

    DynamoDbClient dynamo() {
        return jobway.dynamo();
    }

    String tableName(String logicalId) {
        return jobway.tableName(logicalId);
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
        headers.forEach(request::setHeader);
        return send(request, key);
    }

    Response post(String path, String key, String body) {
        return post(path, key, body, Map.of());
    }

    Response put(String path, String key, String body) {
        return send(HttpRequest.newBuilder(uri(path)).PUT(HttpRequest.BodyPublishers.ofString(body))
                .header("content-type", "application/json"), key);
    }

    Response delete(String path, String key) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE(), key);
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
        var attributes = jobway.sqs().getQueueAttributes(b -> b.queueUrl(queueUrl("JobsQueue")).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return attributes.values().stream().mapToInt(Integer::parseInt).sum();
    }

    /** Waits until the jobs queue holds no message that is visible or being handled (delayed ones aside). */
    void awaitEmptyJobsQueue() {
        Instant end = Instant.now().plusSeconds(20);
        while (messagesVisibleOrInFlight() > 0) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("the jobs queue still holds messages that are not delayed");
            }
            pause(Duration.ofMillis(200));
        }
    }

    /**
     * The job's message in the dead-letter queue, read and left there. Read again until it shows: the worker sends
     * a dead job's message before it records the job dead, but other consumers (the sweeper) may hold it a moment.
     */
    Message deadLetterOf(String jobId, Duration timeout) {
        return findDeadLetter("JobsDeadLetterQueue", jobId, timeout, false);
    }

    /** The job's webhook in the webhook dead-letter queue, read and left there. */
    Message webhookDeadLetterOf(String jobId, Duration timeout) {
        return findDeadLetter("WebhookDeadLetterQueue", jobId, timeout, false);
    }

    /** Takes the job's message out of the dead-letter queue, as an operator's redrive or purge would. */
    void removeDeadLetterOf(String jobId, Duration timeout) {
        findDeadLetter("JobsDeadLetterQueue", jobId, timeout, true);
    }

    /**
     * Looks through the whole dead-letter queue, which the tests share: the messages of other jobs are held out of
     * sight while it looks (an emulator hands out the oldest first, so letting them straight back would show the
     * same ten forever), then given back. The job's own message is deleted or given back too.
     */
    private Message findDeadLetter(String queueLogicalId, String jobId, Duration timeout, boolean delete) {
        String deadLetters = queueUrl(queueLogicalId);
        Instant end = Instant.now().plus(timeout);
        List<Message> heldBack = new java.util.ArrayList<>();
        try {
            while (Instant.now().isBefore(end)) {
                var messages = jobway.sqs().receiveMessage(b -> b.queueUrl(deadLetters).maxNumberOfMessages(10)
                        .visibilityTimeout(60).messageAttributeNames("All").waitTimeSeconds(1)).messages();
                for (Message message : messages) {
                    if (!message.body().contains(jobId)) {
                        heldBack.add(message);
                    } else if (delete) {
                        jobway.sqs().deleteMessage(b -> b.queueUrl(deadLetters).receiptHandle(message.receiptHandle()));
                        return message;
                    } else {
                        heldBack.add(message);
                        return message;
                    }
                }
                if (messages.isEmpty()) {
                    // every other message is held back: give them back for the next look
                    giveBack(deadLetters, heldBack);
                }
            }
            throw new AssertionError("no message of job " + jobId + " in " + queueLogicalId + " within " + timeout);
        } finally {
            giveBack(deadLetters, heldBack);
        }
    }

    private void giveBack(String queueUrl, List<Message> messages) {
        for (Message message : messages) {
            jobway.sqs().changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle())
                    .visibilityTimeout(0));
        }
        messages.clear();
    }

    String queueUrl(String logicalId) {
        return jobway.queueUrl(logicalId);
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
        return URI.create(jobway.baseUrl() + path);
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
        jobway.close();
    }
}
