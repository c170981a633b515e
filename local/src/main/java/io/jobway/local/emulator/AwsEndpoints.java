package io.jobway.local.emulator;

import java.net.URI;
import java.nio.file.Path;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Where the local runtime's SQS and DynamoDB (with its Streams API) live, in which region and with which
 * credentials: either the embedded emulators, which this object started and stops on {@link #close()}, or an
 * emulator that already runs elsewhere (LocalStack, moto), which it only points at and leaves running.
 */
public final class AwsEndpoints implements AutoCloseable {
    /** What an external emulator is signed with: LocalStack and moto accept any key; test/test is their convention. */
    public static final AwsBasicCredentials EXTERNAL_CREDENTIALS = AwsBasicCredentials.create("test", "test");
    private static final AwsBasicCredentials EMBEDDED_CREDENTIALS = AwsBasicCredentials.create("local", "local");

    private final URI sqs;
    private final URI dynamo;
    private final String region;
    private final AwsBasicCredentials credentials;
    private final EmbeddedSqs sqsEmulator;
    private final EmbeddedDynamo dynamoEmulator;

    private AwsEndpoints(URI sqs, URI dynamo, String region, AwsBasicCredentials credentials,
                         EmbeddedSqs sqsEmulator, EmbeddedDynamo dynamoEmulator) {
        this.sqs = sqs;
        this.dynamo = dynamo;
        this.region = region;
        this.credentials = credentials;
        this.sqsEmulator = sqsEmulator;
        this.dynamoEmulator = dynamoEmulator;
    }

    /**
     * Starts ElasticMQ and DynamoDB Local in this JVM; stopped again by {@link #close()}.
     *
     * @param dataDir where they keep their data ({@code sqs/}, {@code dynamodb/}); null keeps it in memory
     */
    public static AwsEndpoints embedded(Path dataDir, int sqsPort, int dynamoPort) {
        if (dataDir != null) {
            OwnerOnly.secure(dataDir); // before the emulators write their files into it
        }
        EmbeddedSqs sqsEmulator = dataDir != null ? EmbeddedSqs.startPersistent(dataDir.resolve("sqs"), sqsPort)
                : EmbeddedSqs.startInMemory(sqsPort);
        try {
            EmbeddedDynamo dynamoEmulator = dataDir != null
                    ? EmbeddedDynamo.startPersistent(dataDir.resolve("dynamodb"), dynamoPort)
                    : EmbeddedDynamo.startInMemory(dynamoPort);
            return new AwsEndpoints(sqsEmulator.endpoint(), dynamoEmulator.endpoint(), EmbeddedSqs.REGION,
                    EMBEDDED_CREDENTIALS, sqsEmulator, dynamoEmulator);
        } catch (RuntimeException | Error e) {
            sqsEmulator.stop(); // its threads would keep the JVM up
            throw e;
        }
    }

    /** An emulator that serves SQS, DynamoDB and DynamoDB Streams on one endpoint, already running; never stopped here. */
    public static AwsEndpoints external(URI endpoint, String region) {
        if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme()) || endpoint.getHost() == null) {
            throw notAUrl(endpoint.toString());
        }
        return new AwsEndpoints(endpoint, endpoint, region, EXTERNAL_CREDENTIALS, null, null);
    }

    /** {@link #external(URI, String)} from what a person typed (--aws-endpoint, AWS_ENDPOINT_URL). */
    public static AwsEndpoints external(String url, String region) {
        try {
            return external(new URI(url.trim()), region);
        } catch (java.net.URISyntaxException e) {
            throw notAUrl(url);
        }
    }

    private static IllegalArgumentException notAUrl(String value) {
        return new IllegalArgumentException("the AWS endpoint must be a URL such as http://127.0.0.1:4566, was '"
                + value + "'");
    }

    public URI sqs() {
        return sqs;
    }

    public URI dynamo() {
        return dynamo;
    }

    /** DynamoDB Streams: on the DynamoDB endpoint for every emulator Jobway supports. */
    public URI streams() {
        return dynamo;
    }

    public String region() {
        return region;
    }

    public AwsBasicCredentials credentials() {
        return credentials;
    }

    /** True for the emulators this object runs in-process. */
    public boolean isEmbedded() {
        return sqsEmulator != null;
    }

    /** Signalled after each write the embedded DynamoDB answers; empty for an external emulator. */
    public java.util.Optional<WriteSignal> tableWrites() {
        return java.util.Optional.ofNullable(dynamoEmulator).map(EmbeddedDynamo::writes);
    }

    /** What serves SQS, for the start banner. */
    public String describeSqs() {
        return isEmbedded() ? "ElasticMQ" : "external, region " + region;
    }

    /** What serves DynamoDB, for the start banner. */
    public String describeDynamo() {
        return isEmbedded() ? "DynamoDB Local" : "external, region " + region;
    }

    public SqsClient sqsClient() {
        return clients().sqsClient(sqs);
    }

    public DynamoDbClient dynamoClient() {
        return clients().dynamoClient(dynamo);
    }

    public DynamoDbStreamsClient streamsClient() {
        return clients().streamsClient(streams());
    }

    private EmulatorClients clients() {
        return EmulatorClients.of(region, credentials);
    }

    /** Stops the embedded emulators; an external endpoint is left as it is. */
    @Override
    public void close() {
        if (sqsEmulator != null) {
            try {
                sqsEmulator.stop();
            } finally {
                dynamoEmulator.stop();
            }
        }
    }
}
