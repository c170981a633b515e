package io.jobway.local.contract;

import io.jobway.local.emulator.Emulators;
import io.jobway.local.emulator.ResourceRegistry;
import io.jobway.store.DynamoJobStore;
import io.jobway.store.JobStore;
import io.jobway.store.JobStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The JobStore contract on DynamoDB Local, with the tables and indexes template.yaml declares, through the client a
 * function builds.
 */
class DynamoJobStoreContractTest extends JobStoreContract {
    private static Emulators emulators;
    private static ResourceRegistry resources;
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void start() {
        emulators = Emulators.inMemory();
        resources = emulators.createTemplateResources();
        dynamo = FunctionClients.at(emulators.dynamoEndpoint()).dynamo();
    }

    @AfterAll
    static void stop() {
        dynamo.close();
        emulators.close();
    }

    @Override
    protected JobStore newStore() {
        return new DynamoJobStore(dynamo, resources.table("JobsTable").name(),
                resources.table("IdempotencyTable").name());
    }
}
