package io.jobway.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.aws.Clients;
import io.jobway.aws.Config;
import io.jobway.fixtures.FakeLambdaContext;
import io.jobway.fixtures.HungEndpoint;
import io.jobway.fixtures.LambdaEvents;
import io.jobway.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * DynamoDB and SQS accept connections and never answer. The SDK's call timeouts, fitted to each function's Lambda
 * timeout, end the calls in time for the function to answer the way its caller expects.
 */
class HungEndpointTest {
    @Test
    void a_submit_gets_503_problem_json_within_the_api_functions_lambda_timeout() throws IOException {
        try (HungEndpoint aws = new HungEndpoint()) {
            Config config = aws.config(SnapStartPrimingTest.API);
            var function = new ApiFunction(config, Clients.create(config, ApiFunction.LAMBDA_TIMEOUT));

            long started = System.nanoTime();
            JsonNode response = invoke(function::handleRequest, "api-submit.json", ApiFunction.LAMBDA_TIMEOUT);
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(response.path("statusCode").asInt()).isEqualTo(503);
            assertThat(response.path("headers").path("content-type").asText()).isEqualTo("application/problem+json");
            assertThat(response.path("headers").path("retry-after").asText()).isEqualTo("1");
            assertThat(Json.parse(response.path("body").asText()).path("status").asInt()).isEqualTo(503);
            assertThat(took).as("answered before Lambda would cut the function off").isLessThan(ApiFunction.LAMBDA_TIMEOUT);
            assertThat(aws.operations()).as("the idempotency lookup was tried, retried, and given up").isNotEmpty()
                    .allMatch("GetItem"::equals);
        }
    }

    @Test
    void the_authorizer_denies_within_its_lambda_timeout() throws IOException {
        try (HungEndpoint aws = new HungEndpoint()) {
            Config config = aws.config(Map.of(Config.API_KEYS_TABLE, "keys", Config.SIGNING_KEYS_TABLE, "signing-keys"));
            var function = new AuthorizerFunction(config, Clients.create(config, AuthorizerFunction.LAMBDA_TIMEOUT));

            long started = System.nanoTime();
            JsonNode answer = invoke(function::handleRequest, "authorizer-request.json",
                    AuthorizerFunction.LAMBDA_TIMEOUT);
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(answer.path("isAuthorized").isBoolean()).isTrue();
            assertThat(answer.path("isAuthorized").asBoolean()).isFalse();
            assertThat(took).isLessThan(AuthorizerFunction.LAMBDA_TIMEOUT);
            assertThat(aws.operations()).isNotEmpty().allMatch("GetItem"::equals);
        }
    }

    @FunctionalInterface
    interface StreamHandler {
        void handle(InputStream in, java.io.OutputStream out, com.amazonaws.services.lambda.runtime.Context context)
                throws IOException;
    }

    private static JsonNode invoke(StreamHandler handler, String eventFile, Duration lambdaTimeout) throws IOException {
        var out = new ByteArrayOutputStream();
        try (InputStream event = Files.newInputStream(LambdaEvents.path(eventFile))) {
            handler.handle(event, out, new FakeLambdaContext("function", lambdaTimeout));
        }
        return Json.parse(out.toString(java.nio.charset.StandardCharsets.UTF_8));
    }
}
