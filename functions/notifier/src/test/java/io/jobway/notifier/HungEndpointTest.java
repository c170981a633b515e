package io.jobway.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobway.aws.Clients;
import io.jobway.aws.Config;
import io.jobway.fixtures.FakeLambdaContext;
import io.jobway.fixtures.HungEndpoint;
import io.jobway.fixtures.LambdaEvents;
import io.jobway.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** DynamoDB and SQS accept connections and never answer: the notifier fails the batch for Lambda to retry. */
class HungEndpointTest {
    @Test
    void a_subscriber_lookup_that_never_answers_fails_the_batch_from_its_record_within_the_lambda_timeout()
            throws IOException {
        try (HungEndpoint aws = new HungEndpoint()) {
            Config config = aws.config(Map.of(Config.CONNECTIONS_TABLE, "connections",
                    Config.WEBSOCKET_ENDPOINT, aws.url(),
                    Config.WEBHOOK_QUEUE_URL, aws.url() + "/000000000000/webhooks"));
            var notifier = new NotifierFunction(config, Clients.create(config, NotifierFunction.LAMBDA_TIMEOUT));
            var answer = new ByteArrayOutputStream();

            long started = System.nanoTime();
            try (InputStream batch = Files.newInputStream(LambdaEvents.path("notifier-status-change.json"))) {
                notifier.handleRequest(batch, answer,
                        new FakeLambdaContext("NotifierFunction", NotifierFunction.LAMBDA_TIMEOUT));
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            String firstSequence = Json.parse(Files.readString(LambdaEvents.path("notifier-status-change.json")))
                    .path("Records").get(0).path("dynamodb").path("SequenceNumber").asText();
            assertThat(Json.parse(answer.toString(StandardCharsets.UTF_8)).path("batchItemFailures")
                    .findValuesAsText("itemIdentifier")).as("Lambda retries from the change that was not notified")
                    .containsExactly(firstSequence);
            assertThat(aws.operations()).as("the subscribers' lookup was tried").contains("Query");
            assertThat(took).isLessThan(NotifierFunction.LAMBDA_TIMEOUT);
        }
    }
}
