package io.jobway.aws;

import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The one factory of AWS SDK clients: region, endpoint, HTTP client, credentials and timeouts are all
 * explicit. The URLConnection HTTP client is the lightest on a Lambda cold start.
 */
public final class Clients {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(3);

    private final Config config;
    private final List<ExecutionInterceptor> interceptors;
    private final SdkHttpClient http;

    private Clients(Config config, List<ExecutionInterceptor> interceptors) {
        this.config = config;
        this.interceptors = List.copyOf(interceptors);
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(5))
                .build();
    }

    public static Clients create(Config config) {
        return new Clients(config, List.of());
    }

    /** Clients whose every call passes through the given interceptors (the cost guard counts calls this way). */
    public static Clients create(Config config, List<ExecutionInterceptor> interceptors) {
        return new Clients(config, interceptors);
    }

    public DynamoDbClient dynamo() {
        return build(DynamoDbClient.builder(), "DYNAMODB");
    }

    public SqsClient sqs() {
        return build(SqsClient.builder(), "SQS");
    }

    /**
     * Any other SDK client, configured like the rest: {@code service} names its endpoint override variable
     * ({@code AWS_ENDPOINT_URL_<service>}). The module that needs the client brings its SDK artifact.
     */
    public <C, B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>> C build(B builder, String service) {
        configure(builder, service).httpClient(http);
        return builder.build();
    }

    private <B extends AwsClientBuilder<B, ?>> B configure(B builder, String service) {
        builder.region(Region.of(config.require(Config.AWS_REGION)))
                .credentialsProvider(credentials())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(CALL_TIMEOUT)
                        .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                        .executionInterceptors(interceptors)
                        .build());
        config.endpoint(service).ifPresent(builder::endpointOverride);
        return builder;
    }

    /** Lambda puts the role's credentials in the environment; reading them directly skips the provider chain. */
    private AwsCredentialsProvider credentials() {
        var key = config.optional("AWS_ACCESS_KEY_ID");
        var secret = config.optional("AWS_SECRET_ACCESS_KEY");
        if (key.isEmpty() || secret.isEmpty()) {
            return DefaultCredentialsProvider.builder().build();
        }
        var token = config.optional("AWS_SESSION_TOKEN");
        return StaticCredentialsProvider.create(token.isPresent()
                ? AwsSessionCredentials.create(key.get(), secret.get(), token.get())
                : AwsBasicCredentials.create(key.get(), secret.get()));
    }
}
