package io.jobway.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/** Jobway's SigV4 against the SDK's own signer: the same request, keys and time must give the same headers. */
class SigV4Test {
    private static final Instant NOW = Instant.parse("2026-11-23T20:15:30Z");

    static Stream<Arguments> requests() {
        var basic = AwsCredentialsIdentity.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        var session = AwsSessionCredentialsIdentity.create("ASIAEXAMPLE", "secret/with+signs",
                "FwoGZXIvYXdzEJr//////////token==");
        return Stream.of(
                Arguments.of("https://dynamodb.eu-west-1.amazonaws.com/", "eu-west-1", "dynamodb", basic,
                        "DynamoDB_20120810.GetItem", "{\"TableName\":\"jobs\",\"Key\":{\"pk\":{\"S\":\"job#1\"}}}"),
                Arguments.of("https://sqs.us-east-1.amazonaws.com/", "us-east-1", "sqs", session,
                        "AmazonSQS.SendMessage", "{\"QueueUrl\":\"q\",\"MessageBody\":\"héllo  spaces \"}"),
                Arguments.of("http://127.0.0.1:4566/", "us-east-1", "dynamodb", session, "DynamoDB_20120810.Query",
                        ""));
    }

    @ParameterizedTest
    @MethodSource("requests")
    void signs_as_the_sdk_signer_does(String endpoint, String region, String service,
                                      AwsCredentialsIdentity credentials, String target, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.POST)
                .uri(URI.create(endpoint))
                .putHeader("Content-Type", "application/x-amz-json-1.0")
                .putHeader("X-Amz-Target", target)
                .putHeader("Content-Length", Integer.toString(bytes.length))
                .build();
        SignedRequest sdk = AwsV4HttpSigner.create().sign(r -> r.identity(credentials).request(request)
                .payload(() -> new ByteArrayInputStream(bytes))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(NOW, ZoneOffset.UTC)));

        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", AwsJsonClient.host(URI.create(endpoint)));
        headers.put("Content-Length", Integer.toString(bytes.length));
        headers.put("Content-Type", "application/x-amz-json-1.0");
        headers.put("X-Amz-Target", target);
        Map<String, String> ours = new SigV4(region, service).sign(headers, bytes, credentials, NOW);

        assertThat(ours.get("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=" + credentials.accessKeyId())
                .isEqualTo(sdk.request().firstMatchingHeader("Authorization").orElseThrow());
        assertThat(ours.get("X-Amz-Date")).isEqualTo("20261123T201530Z")
                .isEqualTo(sdk.request().firstMatchingHeader("X-Amz-Date").orElseThrow());
        assertThat(ours.get("x-amz-content-sha256"))
                .isEqualTo(sdk.request().firstMatchingHeader("x-amz-content-sha256").orElseThrow());
        assertThat(ours.get("X-Amz-Security-Token"))
                .isEqualTo(sdk.request().firstMatchingHeader("X-Amz-Security-Token").orElse(null));
    }
}
