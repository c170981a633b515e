package io.jobway.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobway.aws.Clients;
import io.jobway.aws.Config;
import io.jobway.fixtures.FakeLambdaContext;
import io.jobway.fixtures.HungEndpoint;
import io.jobway.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** DynamoDB and SQS accept connections and never answer: the worker gives the message back, unspent. */
class HungEndpointTest {
    private static final String MESSAGE_ID = "9f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f";
    private static final String BATCH = """
            {"Records":[{"messageId":"%s","receiptHandle":"receipt-1",
              "body":"{\\"jobId\\":\\"019ca944-2b58-7e25-b944-852039292d22\\",\\"timeoutSeconds\\":30}",
              "attributes":{"ApproximateReceiveCount":"1"},"eventSource":"aws:sqs"}]}""".formatted(MESSAGE_ID);

    @Test
    void a_claim_that_never_answers_hands_the_message_back_without_spending_an_attempt() throws IOException {
        try (HungEndpoint aws = new HungEndpoint()) {
            Config config = aws.config(SnapStartPrimingTest.variables(aws.url()));
            Clients clients = Clients.create(config, WorkerFunction.LAMBDA_TIMEOUT);
            var worker = new WorkerFunction(config, clients);
            var answer = new ByteArrayOutputStream();

            long started = System.nanoTime();
            worker.handleRequest(new ByteArrayInputStream(BATCH.getBytes(StandardCharsets.UTF_8)), answer,
                    new FakeLambdaContext("WorkerFunction", WorkerFunction.LAMBDA_TIMEOUT));
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(Json.parse(answer.toString(StandardCharsets.UTF_8)).path("batchItemFailures")
                    .findValuesAsText("itemIdentifier")).as("handed back for a later delivery").containsExactly(MESSAGE_ID);
            // the batch's hold (JobRunner.holdUntil), claim attempts, then the failed message's backoff
            // (JobRunner.failedMessageBackoff): the job was neither failed, retried nor dead-lettered
            assertThat(aws.operations()).as("the hold, claim attempts, the backoff").contains("UpdateItem")
                    .allMatch(op -> op.equals("ChangeMessageVisibilityBatch") || op.equals("UpdateItem")
                            || op.equals("ChangeMessageVisibility"));
            assertThat(took).as("the SDK's call timeout ended the hold, the claim and the backoff")
                    .isLessThan(clients.timeouts().call().multipliedBy(3).plusSeconds(2));
        }
    }
}
