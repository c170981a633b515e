package io.jobway.local.emulator;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * SDK clients for an emulator endpoint (embedded, LocalStack or moto): us-east-1, dummy static credentials (an
 * emulator checks none, and the default provider chain would look for real ones), the URLConnection HTTP client
 * chosen explicitly (several are on this module's classpath) and call timeouts set, as the SDK leaves them off.
 */
public final class EmulatorClients {
    private static final StaticCredentialsProvider DUMMY =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));

    private EmulatorClients() {
    }

    public static SqsClient sqs(URI endpoint) {
        return configure(SqsClient.builder(), endpoint).build();
    }

    public static DynamoDbClient dynamo(URI endpoint) {
        return configure(DynamoDbClient.builder(), endpoint).build();
    }

    public static DynamoDbStreamsClient streams(URI endpoint) {
        return configure(DynamoDbStreamsClient.builder(), endpoint).build();
    }

    private static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder, URI endpoint) {
        builder.region(Region.US_EAST_1)
                .credentialsProvider(DUMMY)
                .endpointOverride(endpoint)
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(Duration.ofSeconds(30)) // above SQS's 20 s long poll
                        .apiCallAttemptTimeout(Duration.ofSeconds(25))
                        .build());
        builder.httpClientBuilder(UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(25)));
        return builder;
    }
}
