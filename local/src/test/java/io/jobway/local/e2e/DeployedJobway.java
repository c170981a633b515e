package io.jobway.local.e2e;

import io.jobway.auth.ApiKey;
import io.jobway.auth.ApiKeys;
import io.jobway.auth.DynamoApiKeyStore;
import io.jobway.local.LocalRuntime;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A stack deployed with {@code sam deploy} (target {@code aws}), for people with an AWS account: its outputs come
 * as system properties or environment variables, the credentials and region from the usual AWS environment.
 * <pre>
 *   mvn -B verify -pl local -am -Dtest='io.jobway.local.e2e.**' -Dsurefire.failIfNoSpecifiedTests=false \
 *       -Djobway.e2e.moto.skip=true -Djobway.e2e.localstack.skip=true -Djobway.e2e.target=aws \
 *       -Djobway.e2e.apiUrl=... -Djobway.e2e.webSocketUrl=... -Djobway.e2e.apiKeysTable=... \
 *       -Djobway.e2e.jobsTable=... -Djobway.e2e.jobsQueueUrl=... -Djobway.e2e.deadLetterQueueUrl=...
 * </pre>
 * (or JOBWAY_E2E_API_URL, JOBWAY_E2E_WEB_SOCKET_URL, ...). The values are the template's Outputs ApiUrl,
 * WebSocketUrl, ApiKeysTableName, JobsTableName, JobsQueueUrl and DeadLetterQueueUrl. Tests that need the functions
 * in this JVM (invoking one directly, counting its calls, firing the schedule, a receiver on this machine) skip.
 * It cannot run in this project's CI, which has no AWS account.
 */
final class DeployedJobway implements RunningJobway {
    private static final Map<String, String> TABLE_OUTPUTS = Map.of(
            "ApiKeysTable", "apiKeysTable", "JobsTable", "jobsTable");
    private static final Map<String, String> QUEUE_OUTPUTS = Map.of(
            "JobsQueue", "jobsQueueUrl", "JobsDeadLetterQueue", "deadLetterQueueUrl");

    private final SqsClient sqs = SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
    private final DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build();

    static DeployedJobway fromOutputs() {
        required("apiUrl");
        required("webSocketUrl");
        return new DeployedJobway();
    }

    /** {@code -Djobway.e2e.<name>}, or the environment variable JOBWAY_E2E_<NAME> (camel case to snake case). */
    static String required(String name) {
        String env = "JOBWAY_E2E_" + name.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
        String value = System.getProperty("jobway.e2e." + name, System.getenv(env));
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("the aws target needs the stack output as -Djobway.e2e." + name
                    + " or " + env + " (see DeployedJobway)");
        }
        return value.trim();
    }

    @Override
    public String baseUrl() {
        return required("apiUrl").replaceAll("/$", "");
    }

    @Override
    public URI webSocketUrl() {
        return URI.create(required("webSocketUrl"));
    }

    @Override
    public SqsClient sqs() {
        return sqs;
    }

    @Override
    public DynamoDbClient dynamo() {
        return dynamo;
    }

    @Override
    public String queueUrl(String logicalId) {
        return required(output(QUEUE_OUTPUTS, logicalId));
    }

    @Override
    public String tableName(String logicalId) {
        return required(output(TABLE_OUTPUTS, logicalId));
    }

    private static String output(Map<String, String> outputs, String logicalId) {
        String name = outputs.get(logicalId);
        if (name == null) {
            throw new org.opentest4j.TestAbortedException("the stack has no output naming " + logicalId);
        }
        return name;
    }

    @Override
    public void registerKey(String key, String tenantId) {
        new DynamoApiKeyStore(dynamo, tableName("ApiKeysTable"))
                .put(new ApiKey(ApiKeys.hash(key), ApiKeys.keyId(key), tenantId, io.jobway.auth.Scopes.ALL,
                        Instant.now(), null));
    }

    @Override
    public Optional<LocalRuntime> localRuntime() {
        return Optional.empty();
    }

    @Override
    public void close() {
        sqs.close();
        dynamo.close();
    }
}
