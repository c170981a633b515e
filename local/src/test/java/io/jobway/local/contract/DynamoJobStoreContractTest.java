package io.jobway.local.contract;

import io.jobway.local.emulator.EmbeddedDynamo;
import io.jobway.local.emulator.EmbeddedSqs;
import io.jobway.local.emulator.EmulatorClients;
import io.jobway.local.emulator.LocalResources;
import io.jobway.local.emulator.ResourceRegistry;
import io.jobway.local.template.CfnTemplate;
import io.jobway.store.DynamoJobStore;
import io.jobway.store.JobStore;
import io.jobway.store.JobStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The JobStore contract on DynamoDB Local, with the tables and indexes template.yaml declares. */
class DynamoJobStoreContractTest extends JobStoreContract {
    private static EmbeddedDynamo dynamoEmulator;
    private static EmbeddedSqs sqsEmulator;
    private static DynamoDbClient dynamo;
    private static SqsClient sqs;
    private static ResourceRegistry resources;

    @BeforeAll
    static void start() {
        dynamoEmulator = EmbeddedDynamo.startInMemory(0);
        sqsEmulator = EmbeddedSqs.startInMemory(0);
        dynamo = EmulatorClients.dynamo(dynamoEmulator.endpoint());
        sqs = EmulatorClients.sqs(sqsEmulator.endpoint());
        resources = LocalResources.of(CfnTemplate.load(Path.of("..", "template.yaml")), sqs, dynamo).createAll();
    }

    @AfterAll
    static void stop() {
        dynamo.close();
        sqs.close();
        dynamoEmulator.stop();
        sqsEmulator.stop();
    }

    @Override
    protected JobStore newStore() {
        return new DynamoJobStore(dynamo, resources.table("JobsTable").name(),
                resources.table("IdempotencyTable").name());
    }
}
