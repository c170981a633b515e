package io.jobway.local.emulator;

import io.jobway.local.template.CfnTemplate;
import java.net.URI;
import java.nio.file.Path;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Both emulators with clients pointed at them, for tests; closes all of it. */
public final class Emulators implements AutoCloseable {
    final EmbeddedSqs sqsServer;
    final EmbeddedDynamo dynamoServer;
    public final SqsClient sqs;
    public final DynamoDbClient dynamo;
    public final DynamoDbStreamsClient streams;

    private Emulators(EmbeddedSqs sqsServer, EmbeddedDynamo dynamoServer) {
        this.sqsServer = sqsServer;
        this.dynamoServer = dynamoServer;
        this.sqs = EmulatorClients.sqs(sqsServer.endpoint());
        this.dynamo = EmulatorClients.dynamo(dynamoServer.endpoint());
        this.streams = EmulatorClients.streams(dynamoServer.endpoint());
    }

    public static Emulators inMemory() {
        return new Emulators(EmbeddedSqs.startInMemory(0), EmbeddedDynamo.startInMemory(0));
    }

    static Emulators persistent(Path dataDir) {
        return new Emulators(EmbeddedSqs.startPersistent(dataDir.resolve("sqs"), 0),
                EmbeddedDynamo.startPersistent(dataDir.resolve("dynamodb"), 0));
    }

    public URI dynamoEndpoint() {
        return dynamoServer.endpoint();
    }

    /** The queues and tables of the project's template.yaml, created on these emulators. */
    public ResourceRegistry createTemplateResources() {
        return LocalResources.of(CfnTemplate.load(Path.of("..", "template.yaml")), sqs, dynamo)
                .createAll();
    }

    @Override
    public void close() {
        sqs.close();
        dynamo.close();
        streams.close();
        sqsServer.stop();
        dynamoServer.stop();
    }
}
