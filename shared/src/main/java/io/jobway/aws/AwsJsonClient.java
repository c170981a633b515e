package io.jobway.aws;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.json.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * A client of one AWS service that speaks the AWS JSON protocol (DynamoDB, SQS): each call marshals an SDK
 * model request to JSON, signs it (SigV4), sends it through an SDK HTTP client and reads the SDK model response
 * or exception back, retrying throttling, server errors and I/O failures with the SDK's backoff. It does what
 * the SDK's generated clients do for these services without their request pipeline (interceptors, endpoint
 * rules, auth scheme resolution, metrics), whose classes took most of a function's cold start: see
 * docs/BENCHMARKS.md. Callers keep the SDK's model and exception classes.
 */
final class AwsJsonClient {
    /** What differs between the services this client speaks to (each signs with its endpoint prefix). */
    record Service(String endpointPrefix, String targetPrefix, String serviceName,
                   String modelPackage, int maxAttempts, Duration baseDelay, boolean queryCompatible) {
    }

    /** As the SDK's DynamoDB client: up to 9 attempts, from 25 ms apart. */
    static final Service DYNAMODB = new Service("dynamodb", "DynamoDB_20120810", "DynamoDb",
            "software.amazon.awssdk.services.dynamodb.model.", 9, Duration.ofMillis(25), false);
    /** As the SDK's standard retry mode: up to 3 attempts, from 100 ms apart. */
    static final Service SQS = new Service("sqs", "AmazonSQS", "Sqs",
            "software.amazon.awssdk.services.sqs.model.", 3, Duration.ofMillis(100), true);

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(20);
    /** The error codes the SDK retries (throttling and transient errors), besides any 429 or 5xx. */
    private static final Set<String> RETRYABLE_CODES = Set.of("Throttling", "ThrottlingException",
            "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
            "ProvisionedThroughputExceededException", "TransactionInProgressException", "RequestLimitExceeded",
            "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
            "EC2ThrottledException", "RequestTimeout", "RequestTimeoutException");

    private final Service service;
    private final URI endpoint;
    private final SigV4 signer;
    private final AwsCredentialsProvider credentials;
    private final SdkHttpClient http;
    private final Duration callTimeout;
    private final AwsCallListener listener;
    private final Clock clock;
    private final boolean retry;

    AwsJsonClient(Service service, URI endpoint, String region, AwsCredentialsProvider credentials,
                  SdkHttpClient http, Duration callTimeout, AwsCallListener listener, Clock clock, boolean retry) {
        this.service = service;
        this.endpoint = endpoint;
        this.signer = new SigV4(region, service.endpointPrefix());
        this.credentials = credentials;
        this.http = http;
        this.callTimeout = callTimeout;
        this.listener = listener;
        this.clock = clock;
        this.retry = retry;
    }

    /** The service's regional endpoint, as the SDK resolves it for the standard AWS and China partitions. */
    static URI regionalEndpoint(Service service, String region) {
        String suffix = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
        return URI.create("https://" + service.endpointPrefix() + "." + region + "." + suffix + "/");
    }

    /**
     * One call: {@code request} sent as {@code operation}, the answer read into the builder {@code response}
     * supplies. Throws the service's own exception class for an error it answered (e.g.
     * {@code ConditionalCheckFailedException}), {@link SdkClientException} when no answer came.
     */
    <T extends SdkResponse> T call(String operation, SdkPojo request, Supplier<? extends SdkPojo> response) {
        byte[] body = Json.bytes(ModelJson.write(request));
        long deadline = System.nanoTime() + callTimeout.toNanos();
        int attempts = retry ? service.maxAttempts() : 1;
        for (int attempt = 1; ; attempt++) {
            RuntimeException failure;
            try {
                Answer answer = send(operation, body);
                if (answer.response().isSuccessful()) {
                    T result = ModelJson.read(answer.json(), response.get());
                    listener.answered(operation, result);
                    return result;
                }
                AwsServiceException error = error(answer, attempt);
                if (!retryable(error)) {
                    throw error;
                }
                failure = error;
            } catch (Priming.NotSent e) {
                throw SdkClientException.create(e.getMessage(), e);
            } catch (IOException e) {
                failure = SdkClientException.builder().message(operation + " to " + endpoint + " failed: " + e)
                        .cause(e).numAttempts(attempt).build();
            }
            Duration pause = backoff(attempt);
            if (attempt >= attempts || System.nanoTime() + pause.toNanos() >= deadline) {
                throw failure;
            }
            sleep(pause);
        }
    }

    private record Answer(SdkHttpResponse response, byte[] body) {
        JsonNode json() throws IOException {
            return body.length == 0 ? Json.object() : Json.readTree(body);
        }
    }

    private Answer send(String operation, byte[] body) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", host(endpoint));
        headers.put("Content-Length", Integer.toString(body.length));
        headers.put("Content-Type", "application/x-amz-json-1.0");
        headers.put("X-Amz-Target", service.targetPrefix() + "." + operation);
        if (service.queryCompatible()) {
            headers.put("x-amzn-query-mode", "true"); // errors then carry their Query-protocol code too
        }
        headers.putAll(signer.sign(headers, body, credentials.resolveCredentials(), clock.instant()));
        SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
                .encodedPath("/");
        headers.forEach(request::putHeader);
        SdkHttpFullRequest built = request.build();
        listener.sending(operation, built);
        HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder().request(built)
                .contentStreamProvider(() -> new ByteArrayInputStream(body)).build()).call();
        byte[] bytes;
        try (InputStream in = response.responseBody().map(InputStream.class::cast)
                .orElseGet(InputStream::nullInputStream)) {
            bytes = in.readAllBytes();
        }
        checkCrc32(response.httpResponse(), bytes);
        return new Answer(response.httpResponse(), bytes);
    }

    /** As signed: the host, and the port unless it is the scheme's default. */
    static String host(URI endpoint) {
        int port = endpoint.getPort();
        boolean defaultPort = port == -1 || (endpoint.getScheme().equals("https") ? port == 443 : port == 80);
        return defaultPort ? endpoint.getHost() : endpoint.getHost() + ":" + port;
    }

    /** DynamoDB sends a CRC32 of each body; a mismatch is a damaged answer, retried like an I/O failure. */
    private static void checkCrc32(SdkHttpResponse response, byte[] body) throws IOException {
        var expected = response.firstMatchingHeader("x-amz-crc32");
        if (expected.isPresent()) {
            CRC32 crc = new CRC32();
            crc.update(body);
            if (crc.getValue() != Long.parseLong(expected.get())) {
                throw new IOException("the answer's CRC32 is " + crc.getValue() + ", not " + expected.get());
            }
        }
    }

    /**
     * The service's exception for an error answer: the model class named by the error's type (the part after
     * '#'), with its members (e.g. a cancelled transaction's reasons) read from the body; the service's base
     * exception when the model has no such class.
     */
    private AwsServiceException error(Answer answer, int attempt) {
        JsonNode json;
        try {
            json = answer.json();
        } catch (IOException e) {
            json = Json.object(); // e.g. an HTML page from a proxy: the status code still tells what happened
        }
        String type = json.path("__type").asText(answer.response().firstMatchingHeader("x-amzn-ErrorType")
                .orElse("")).replaceFirst("^.*#", "").replaceFirst(":.*$", "");
        String message = json.has("message") ? json.get("message").asText() : json.path("Message").asText(null);
        String code = answer.response().firstMatchingHeader("x-amzn-query-error")
                .map(query -> query.replaceFirst(";.*$", "")).orElse(type);
        AwsServiceException.Builder builder = exceptionBuilder(type);
        if (builder instanceof SdkPojo members) {
            ModelJson.read(json, members);
        }
        return builder.message(message)
                .statusCode(answer.response().statusCode())
                .numAttempts(attempt)
                .requestId(answer.response().firstMatchingHeader("x-amzn-RequestId").orElse(null))
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code.isEmpty() ? null : code)
                        .errorMessage(message).serviceName(service.serviceName())
                        .sdkHttpResponse(answer.response()).rawResponse(SdkBytes.fromByteArray(answer.body()))
                        .build())
                .build();
    }

    private AwsServiceException.Builder exceptionBuilder(String type) {
        for (String name : List.of(type, type + "Exception", service.serviceName() + "Exception")) {
            if (name.isEmpty() || name.equals("Exception")) {
                continue;
            }
            try {
                Class<?> found = Class.forName(service.modelPackage() + name, true,
                        AwsJsonClient.class.getClassLoader());
                if (AwsServiceException.class.isAssignableFrom(found)) {
                    return (AwsServiceException.Builder) found.getMethod("builder").invoke(null);
                }
            } catch (ReflectiveOperationException e) {
                // not a class of this service's model: try the next name
            }
        }
        throw new IllegalStateException(service.modelPackage() + service.serviceName() + "Exception is missing");
    }

    private static boolean retryable(AwsServiceException error) {
        return error.statusCode() >= 500 || error.statusCode() == 429
                || RETRYABLE_CODES.contains(error.awsErrorDetails().errorCode())
                || RETRYABLE_CODES.contains(error.getClass().getSimpleName());
    }

    /** Full jitter, as the SDK's: a random pause up to base × 2^(attempt−1), at most 20 s. */
    private Duration backoff(int attempt) {
        long ceiling = Math.min(MAX_BACKOFF.toMillis(), service.baseDelay().toMillis() << Math.min(attempt - 1, 20));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SdkClientException.create("interrupted while waiting to retry", e);
        }
    }
}
