package io.jobway.localstack;

/**
 * Stands in for LocalStack's DynamoDB Local patch agent (which raises the limit of 20 indexes per table and is
 * downloaded from a host this project cannot reach). LocalStack always passes the agent; Jobway needs no patch.
 */
public final class NoopAgent {
    private NoopAgent() {
    }

    public static void premain(String arguments) {
        // nothing to patch
    }
}
