package io.jobway.local.contract;

import io.jobway.local.emulator.Emulators;
import io.jobway.local.emulator.ResourceRegistry;
import io.jobway.store.DynamoJobStore;
import io.jobway.store.JobStore;
import io.jobway.store.JobStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The JobStore contract on DynamoDB Local, with the tables and indexes template.yaml declares. */
class DynamoJobStoreContractTest extends JobStoreContract {
    private static Emulators emulators;
    private static ResourceRegistry resources;

    @BeforeAll
    static void start() {
        emulators = Emulators.inMemory();
        resources = emulators.createTemplateResources();
    }

    @AfterAll
    static void stop() {
        emulators.close();
    }

    @Override
    protected JobStore newStore() {
        return new DynamoJobStore(emulators.dynamo, resources.table("JobsTable").name(),
                resources.table("IdempotencyTable").name());
    }
}
