package io.jobway.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.auth.ApiKey;
import io.jobway.auth.ApiKeys;
import io.jobway.auth.DynamoApiKeyStore;
import io.jobway.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * What the package tests share, started once per test run: the template's queues and tables on the emulators,
 * Lambda's Java 21 runtime, and a receiver for the WebSocket stage's Management API. Each test class starts the
 * execution environments it needs (one JVM per function) and closes them.
 */
final class Lambda {
    /** The API key of the sample events (events/api-*, authorizer-*, websocket-*). */
    static final String SAMPLE_KEY = "jw_smpl2026_Xq3vN8kLm4Rt7YpWz2Bc9DfH";
    static final String SAMPLE_TENANT = "tenant-sample";
    /** Whose sample events are which: events/{prefix}*.json belong to the function. */
    static final Map<String, String> EVENT_PREFIXES = Map.of(
            "ApiFunction", "api-", "AuthorizerFunction", "authorizer-", "WebSocketFunction", "websocket-",
            "WorkerFunction", "worker-", "NotifierFunction", "notifier-", "WebhookFunction", "webhook-",
            "SweeperFunction", "sweeper-");

    private static Lambda shared;

    final Path root;
    final LambdaJava java;
    final ConnectionsReceiver connections;
    final TemplateStack stack;

    private Lambda() {
        root = TemplateStack.projectRoot();
        java = LambdaJava.locate(root);
        connections = ConnectionsReceiver.start("live");
        stack = TemplateStack.start(root, connections.stageUrl());
    }

    static synchronized Lambda shared() {
        if (shared == null) {
            shared = new Lambda();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                shared.stack.close();
                shared.connections.close();
            }));
        }
        return shared;
    }

    /** A fresh execution environment of a function of template.yaml, as it declares it. */
    ExecutionEnvironment start(String function) {
        return ExecutionEnvironment.start(java, stack.function(function));
    }

    /** The sample events of a function of the template, by its logical id, sorted. */
    List<String> eventsOf(String function) {
        return eventFiles(EVENT_PREFIXES.get(function));
    }

    /** The names of the sample events that start with the prefix (events/{prefix}*.json), sorted. */
    List<String> eventFiles(String prefix) {
        try (Stream<Path> files = Files.list(root.resolve("events"))) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.startsWith(prefix) && name.endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String event(String file) {
        try {
            return Files.readString(root.resolve("events").resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sample key, registered for the sample tenant (idempotent: its hash is the item's key). */
    void registerSampleKey() {
        new DynamoApiKeyStore(stack.dynamo(), stack.resources().table("ApiKeysTable").name()).put(new ApiKey(
                ApiKeys.hash(SAMPLE_KEY), ApiKeys.keyId(SAMPLE_KEY), SAMPLE_TENANT, Set.of(), Instant.now(), null));
    }

    String tableName(String logicalId) {
        return stack.resources().table(logicalId).name();
    }

    String queueUrl(String logicalId) {
        return stack.resources().queue(logicalId).url();
    }

    /** The bodies of the messages now visible in a queue (all received, then made visible again). */
    List<String> messages(String queueLogicalId) {
        String url = queueUrl(queueLogicalId);
        var received = new ArrayList<Message>();
        List<Message> batch;
        do {
            batch = stack.sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(30))
                    .messages();
            received.addAll(batch);
        } while (!batch.isEmpty());
        received.forEach(m -> stack.sqs().changeMessageVisibility(b -> b.queueUrl(url)
                .receiptHandle(m.receiptHandle()).visibilityTimeout(0)));
        return received.stream().map(Message::body).toList();
    }

    /** Invokes and expects a response (not an error); returns it parsed. */
    static JsonNode answer(ExecutionEnvironment function, String event) {
        ExecutionEnvironment.Outcome outcome = function.invoke(event);
        assertThat(outcome.ok()).as("the function answered, not an error: %s", outcome).isTrue();
        return Json.parse(outcome.body());
    }
}
