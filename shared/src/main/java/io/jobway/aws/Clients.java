package io.jobway.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jobway.obs.JobMetrics;
import io.jobway.obs.MetricsReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.SdkHttpService;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * The one factory of AWS SDK clients: region, endpoint, HTTP client, credentials, retries and both API-call
 * timeouts are explicit. Each function's clients are built once per execution environment, with timeouts that
 * fit its Lambda timeout ({@link AwsCallTimeouts}) and the SDK's standard retry mode (its retry quota, throttling
 * backoff and per-service defaults: DynamoDB gets up to 9 attempts from 25 ms, SQS 3). The URLConnection HTTP client is
 * the lightest on a Lambda cold start.
 */
public final class Clients {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
    /** Priming signs with these: the real signing code runs, and no credentials of the function are looked up. */
    private static final StaticCredentialsProvider PRIMING_CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDPRIMING", "priming"));

    private final Config config;
    private final AwsCallTimeouts timeouts;
    private final List<ExecutionInterceptor> interceptors;
    private final SdkHttpClient http;
    private final boolean priming;
    private final Clock clock;
    private final JobMetrics metrics;
    /** Where the metrics are read back from, when not from CloudWatch (the local runtime's store). */
    private final MetricsReader metricsReader;
    /** One provider for all the clients, so that credentials fetched from Lambda's container are fetched once. */
    private final AwsCredentialsProvider credentials;

    private Clients(Config config, AwsCallTimeouts timeouts, List<ExecutionInterceptor> interceptors,
                    SdkHttpClient http, boolean priming, Clock clock, JobMetrics metrics, MetricsReader metricsReader) {
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
        this.metricsReader = metricsReader;
        this.timeouts = timeouts;
        this.interceptors = List.copyOf(interceptors);
        this.http = http;
        this.priming = priming;
        this.credentials = priming ? PRIMING_CREDENTIALS : credentials(config);
    }

    /** The clients of a function whose Lambda timeout is {@code lambdaTimeout}. */
    public static Clients create(Config config, Duration lambdaTimeout) {
        return create(config, lambdaTimeout, List.of());
    }

    /** Clients whose every call passes through the given interceptors (the cost guard counts calls this way). */
    public static Clients create(Config config, Duration lambdaTimeout, List<ExecutionInterceptor> interceptors) {
        return new Clients(config, AwsCallTimeouts.forLambdaTimeout(lambdaTimeout), interceptors, httpClient(),
                false, Clock.systemUTC(), JobMetrics.forLambda(metricsNamespace(config), serviceName(config)), null);
    }

    public static String metricsNamespace(Config config) {
        return config.optional(Config.METRICS_NAMESPACE).orElse(JobMetrics.NAMESPACE);
    }

    /** The function's {@code Service} dimension: template.yaml names each; else the function's own name. */
    public static String serviceName(Config config) {
        return config.optional(Config.SERVICE_NAME)
                .or(() -> config.optional("AWS_LAMBDA_FUNCTION_NAME")).orElse("jobway");
    }

    /** Where the functions' metrics go: EMF on stdout on Lambda; the local runtime's store locally. */
    public JobMetrics metrics() {
        return metrics;
    }

    /** Where the metrics are read back from when that is not CloudWatch: the local runtime's store. */
    public Optional<MetricsReader> metricsReader() {
        return Optional.ofNullable(metricsReader);
    }

    /**
     * The same clients, their metrics sent to {@code sink} (one EMF document each) instead of stdout, and read
     * back from {@code reader} instead of CloudWatch.
     */
    public Clients withMetrics(Consumer<MetricsContext> sink, MetricsReader reader) {
        return new Clients(config, timeouts, interceptors, http, priming, clock,
                JobMetrics.to(sink, metricsNamespace(config), serviceName(config)), reader);
    }

    /**
     * The clock every function reads the time from: the system's in AWS. The local runtime may hand its functions
     * one that a test moves forward, to drive schedules and delays without waiting for them.
     */
    public Clock clock() {
        return clock;
    }

    /** The same clients, with the functions reading the time from {@code other}. */
    public Clients withClock(Clock other) {
        return new Clients(config, timeouts, interceptors, http, priming, other, metrics, metricsReader);
    }

    public AwsCallTimeouts timeouts() {
        return timeouts;
    }

    /**
     * URLConnection, unless the SDK's own setting ({@code -Dsoftware.amazon.awssdk.http.service.impl}, e.g. in
     * JAVA_TOOL_OPTIONS) names another HTTP client that the package carries: the cold-start benchmark measures
     * the AWS CRT client this way.
     */
    private static SdkHttpClient httpClient() {
        String chosen = System.getProperty(SdkSystemSetting.SYNC_HTTP_SERVICE_IMPL.property());
        if (chosen == null) {
            return UrlConnectionHttpClient.create(Clients::openConnection);
        }
        for (SdkHttpService service : ServiceLoader.load(SdkHttpService.class, Clients.class.getClassLoader())) {
            if (service.getClass().getName().equals(chosen)) {
                return service.createHttpClientBuilder().buildWithDefaults(AttributeMap.builder()
                        .put(SdkHttpConfigurationOption.CONNECTION_TIMEOUT, CONNECT_TIMEOUT)
                        .put(SdkHttpConfigurationOption.READ_TIMEOUT, READ_TIMEOUT)
                        .build());
            }
        }
        throw new IllegalStateException(SdkSystemSetting.SYNC_HTTP_SERVICE_IMPL.property() + " names " + chosen
                + ", which is not in this package; add its jar to lib/ or remove the setting");
    }

    /**
     * The SDK's own connection factory builds a TLS context, with the JDK's trust store parsed, when the client is
     * built, even for a plain-HTTP endpoint. The JDK's default context, which this uses, is built at the first
     * HTTPS connection instead: the same trust store and host name checks, and no cost before it is needed.
     */
    private static HttpURLConnection openConnection(URI uri) {
        try {
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
            connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            connection.setReadTimeout((int) READ_TIMEOUT.toMillis());
            return connection;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The same clients for SnapStart priming ({@link Priming}): every request goes through the SDK's whole
     * pipeline (marshalling, endpoint rules, signing, interceptors) and is handed to the HTTP client to prepare,
     * then refused before a byte is sent ({@link Priming.NotSent}, never retried). They sign with fixed dummy keys,
     * so priming resolves none of the function's credentials.
     */
    public Clients forPriming() {
        // metrics are built and serialized as for real (their classes go in the snapshot), then dropped: no
        // priming invocation may count as a job
        return new Clients(config, timeouts, interceptors, Priming.sendless(http), true, clock,
                JobMetrics.to(Clients::serializeAndDrop, metricsNamespace(config), serviceName(config)), metricsReader);
    }

    private static void serializeAndDrop(MetricsContext context) {
        try {
            context.serialize();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an EMF document could not be serialized", e);
        }
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
        var override = ClientOverrideConfiguration.builder()
                .apiCallTimeout(timeouts.call())
                .apiCallAttemptTimeout(timeouts.attempt())
                .executionInterceptors(interceptors);
        if (priming) {
            override.retryStrategy(AwsRetryStrategy.doNotRetry());
        } else {
            override.retryStrategy(RetryMode.STANDARD);
        }
        builder.region(Region.of(config.require(Config.AWS_REGION)))
                .credentialsProvider(credentials)
                .overrideConfiguration(override.build());
        config.endpoint(service).ifPresent(builder::endpointOverride);
        builder.httpClient(http);
        return builder.build();
    }

    /**
     * Lambda puts the role's credentials in the environment; reading them directly skips the provider chain.
     * With SnapStart it sets none during init and gives container credentials instead
     * (AWS_CONTAINER_CREDENTIALS_FULL_URI): the container provider is then used directly, as the default chain
     * would end there anyway, so a restored function loads none of the chain's other providers. Either resolves at
     * the first call, after the restore, so no credentials are in the snapshot. Anything else gets the chain.
     */
    private static AwsCredentialsProvider credentials(Config config) {
        var key = config.optional("AWS_ACCESS_KEY_ID");
        var secret = config.optional("AWS_SECRET_ACCESS_KEY");
        if (key.isEmpty() || secret.isEmpty()) {
            return SdkSystemSetting.AWS_CONTAINER_CREDENTIALS_FULL_URI.getStringValue().isPresent()
                    ? ContainerCredentialsProvider.builder().build()
                    : DefaultCredentialsProvider.builder().build();
        }
        var token = config.optional("AWS_SESSION_TOKEN");
        return StaticCredentialsProvider.create(token.isPresent()
                ? AwsSessionCredentials.create(key.get(), secret.get(), token.get())
                : AwsBasicCredentials.create(key.get(), secret.get()));
    }
}
