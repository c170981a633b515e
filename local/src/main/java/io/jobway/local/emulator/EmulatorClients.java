package io.jobway.local.emulator;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * SDK clients for an emulator endpoint (embedded, LocalStack or moto): a fixed region, dummy static credentials
 * (an emulator checks none, and the default provider chain would look for real ones), the URLConnection HTTP
 * client chosen explicitly (several are on this module's classpath) and call timeouts set, as the SDK leaves
 * them off. The static methods are for the embedded emulators (us-east-1).
 */
public final class EmulatorClients {
    private static final EmulatorClients EMBEDDED = new EmulatorClients(EmbeddedSqs.REGION,
            AwsBasicCredentials.create("local", "local"));

    private final Region region;
    private final StaticCredentialsProvider credentials;

    private EmulatorClients(String region, AwsBasicCredentials credentials) {
        this.region = Region.of(region);
        this.credentials = StaticCredentialsProvider.create(credentials);
    }

    /** Clients in {@code region} signing with {@code credentials}: an emulator sorts resources by both. */
    public static EmulatorClients of(String region, AwsBasicCredentials credentials) {
        return new EmulatorClients(region, credentials);
    }

    public static SqsClient sqs(URI endpoint) {
        return EMBEDDED.sqsClient(endpoint);
    }

    public static DynamoDbClient dynamo(URI endpoint) {
        return EMBEDDED.dynamoClient(endpoint);
    }

    public static DynamoDbStreamsClient streams(URI endpoint) {
        return EMBEDDED.streamsClient(endpoint);
    }

    public SqsClient sqsClient(URI endpoint) {
        return configure(SqsClient.builder(), endpoint).build();
    }

    public DynamoDbClient dynamoClient(URI endpoint) {
        return configure(DynamoDbClient.builder(), endpoint).build();
    }

    public DynamoDbStreamsClient streamsClient(URI endpoint) {
        return configure(DynamoDbStreamsClient.builder(), endpoint).build();
    }

    /** Any SDK client's builder, set up like the others: region, credentials, endpoint, HTTP client, timeouts. */
    public <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder, URI endpoint) {
        builder.region(region)
                .credentialsProvider(credentials)
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
