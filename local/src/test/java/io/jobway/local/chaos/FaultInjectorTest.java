package io.jobway.local.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobway.local.emulator.Emulators;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** The chaos soak's injected faults, on DynamoDB Local: calls fail at the rates asked, and a lost answer's write is there. */
class FaultInjectorTest {
    private static Emulators emulators;

    @BeforeAll
    static void start() {
        emulators = Emulators.inMemory();
        emulators.dynamo.createTable(b -> b.tableName("faults").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk")
                        .attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()));
    }

    @AfterAll
    static void stop() {
        emulators.close();
    }

    @Test
    void a_write_whose_answer_is_lost_was_made_though_its_caller_saw_an_error() {
        try (DynamoDbClient faulty = client(new FaultInjector.Rates(0, 0, 1, 1))) {
            assertThatThrownBy(() -> faulty.putItem(b -> b.tableName("faults").item(Map.of("pk",
                    AttributeValue.fromS("lost-answer"))))).isInstanceOf(SdkException.class)
                    .hasMessageContaining("was applied, its answer lost");
        }
        assertThat(emulators.dynamo.getItem(b -> b.tableName("faults").key(Map.of("pk",
                AttributeValue.fromS("lost-answer"))).consistentRead(true)).hasItem()).isTrue();
    }

    @Test
    void calls_fail_at_about_the_rate_asked_and_a_seed_repeats_the_same_faults() {
        int[] failures = new int[2];
        for (int run = 0; run < 2; run++) {
            FaultInjector injector = new FaultInjector(new FaultInjector.Rates(0.2, 0.1, 0, 42));
            try (DynamoDbClient faulty = client(injector)) {
                for (int i = 0; i < 300; i++) {
                    try {
                        faulty.getItem(b -> b.tableName("faults").key(Map.of("pk", AttributeValue.fromS("x"))));
                    } catch (SdkException e) {
                        failures[run]++;
                    }
                }
                assertThat(injector.injected()).isEqualTo(failures[run]);
            }
        }
        assertThat(failures[0]).as("about 30% of 300").isBetween(60, 120).isEqualTo(failures[1]);
    }

    @Test
    void a_spec_with_an_unknown_key_or_a_rate_that_is_no_probability_is_refused_naming_it() {
        assertThat(FaultInjector.parse("fail=0.02, throttle=0.01,failAfterWrite=0.5,seed=7"))
                .isEqualTo(new FaultInjector.Rates(0.02, 0.01, 0.5, 0, 45, 0, 0, 7));
        assertThat(FaultInjector.parse("stall=0.01,stallSeconds=3,streamReorder=0.1,streamRepeat=0.2"))
                .isEqualTo(new FaultInjector.Rates(0, 0, 0, 0.01, 3, 0.1, 0.2, 1));
        assertThatThrownBy(() -> FaultInjector.parse("explode=1")).hasMessageContaining("'explode'");
        assertThatThrownBy(() -> FaultInjector.parse("fail=2")).hasMessageContaining("probability");
        assertThatThrownBy(() -> FaultInjector.parse("fail=lots")).hasMessageContaining("'lots'");
    }

    @Test
    void a_stall_freezes_the_caller_after_its_update_was_applied() {
        long started = System.nanoTime();
        try (DynamoDbClient stalling = client(new FaultInjector.Rates(0, 0, 0, 1, 1, 0, 0, 1))) {
            stalling.updateItem(b -> b.tableName("faults").key(Map.of("pk", AttributeValue.fromS("stalled")))
                    .updateExpression("SET n = :n").expressionAttributeValues(Map.of(":n", AttributeValue.fromN("1"))));
        }
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(
                java.time.Duration.ofSeconds(1));
        assertThat(emulators.dynamo.getItem(b -> b.tableName("faults").key(Map.of("pk",
                AttributeValue.fromS("stalled"))).consistentRead(true)).hasItem()).isTrue();
    }

    /** A client without the SDK's retries, so each injected fault reaches the caller. */
    private static DynamoDbClient client(FaultInjector.Rates rates) {
        return client(new FaultInjector(rates));
    }

    private static DynamoDbClient client(FaultInjector injector) {
        return DynamoDbClient.builder().endpointOverride(emulators.dynamoEndpoint())
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry())
                        .addExecutionInterceptor(injector).build())
                .build();
    }
}
