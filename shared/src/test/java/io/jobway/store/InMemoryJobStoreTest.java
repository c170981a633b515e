package io.jobway.store;

/** The in-memory twin passes the same contract as DynamoDB. */
class InMemoryJobStoreTest extends JobStoreContract {
    @Override
    protected JobStore newStore() {
        return new InMemoryJobStore();
    }
}
