package io.jobway.local.e2e;

import io.jobway.local.LocalRuntime;
import java.net.URI;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The Jobway the end-to-end tests drive: where its APIs answer, and the queues and tables behind it. */
interface RunningJobway extends AutoCloseable {
    String baseUrl();

    URI webSocketUrl();

    SqsClient sqs();

    DynamoDbClient dynamo();

    String queueUrl(String logicalId);

    String tableName(String logicalId);

    void registerKey(String key, String tenantId);

    /** The in-process runtime, when the functions run in this JVM (not on a deployed stack). */
    Optional<LocalRuntime> localRuntime();

    @Override
    void close();

    /** The local runtime, on whichever emulators it was started with. */
    static RunningJobway of(LocalRuntime runtime) {
        return new RunningJobway() {
            @Override
            public String baseUrl() {
                return runtime.baseUrl();
            }

            @Override
            public URI webSocketUrl() {
                return runtime.webSocketUrl().orElseThrow();
            }

            @Override
            public SqsClient sqs() {
                return runtime.sqs();
            }

            @Override
            public DynamoDbClient dynamo() {
                return runtime.dynamo();
            }

            @Override
            public String queueUrl(String logicalId) {
                return runtime.resources().queue(logicalId).url();
            }

            @Override
            public String tableName(String logicalId) {
                return runtime.resources().table(logicalId).name();
            }

            @Override
            public void registerKey(String key, String tenantId) {
                runtime.registerKey(key, tenantId, io.jobway.auth.Scopes.ALL); // as the local runtime's own key
            }

            @Override
            public Optional<LocalRuntime> localRuntime() {
                return Optional.of(runtime);
            }

            @Override
            public void close() {
                runtime.close();
            }
        };
    }
}
