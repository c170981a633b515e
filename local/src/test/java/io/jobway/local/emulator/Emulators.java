package io.jobway.local.emulator;

import java.nio.file.Path;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Both emulators with clients pointed at them, for tests; closes all of it. */
final class Emulators implements AutoCloseable {
    final EmbeddedSqs sqsServer;
    final EmbeddedDynamo dynamoServer;
    final SqsClient sqs;
    final DynamoDbClient dynamo;
    final DynamoDbStreamsClient streams;

    private Emulators(EmbeddedSqs sqsServer, EmbeddedDynamo dynamoServer) {
        this.sqsServer = sqsServer;
        this.dynamoServer = dynamoServer;
        this.sqs = EmulatorClients.sqs(sqsServer.endpoint());
        this.dynamo = EmulatorClients.dynamo(dynamoServer.endpoint());
        this.streams = EmulatorClients.streams(dynamoServer.endpoint());
    }

    static Emulators inMemory() {
        return new Emulators(EmbeddedSqs.startInMemory(0), EmbeddedDynamo.startInMemory(0));
    }

    static Emulators persistent(Path dataDir) {
        return new Emulators(EmbeddedSqs.startPersistent(dataDir.resolve("sqs"), 0),
                EmbeddedDynamo.startPersistent(dataDir.resolve("dynamodb"), 0));
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
