package io.jobway.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.json.Json;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Jobway's AWS JSON protocol clients against the SDK's generated ones: given the same request and the same
 * answer from the service, both must send the same body to the same operation and give back equal responses
 * and exceptions.
 */
class JsonClientsTest {
    private static final URI ENDPOINT = URI.create("http://127.0.0.1:8000");
    private static final StaticCredentialsProvider KEYS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret"));
    private static final Map<String, AttributeValue> EVERY_KIND = Map.of(
            "s", AttributeValue.fromS("text with \"quotes\" and ü"),
            "n", AttributeValue.fromN("-12.50"),
            "b", AttributeValue.fromB(SdkBytes.fromUtf8String("bytes")),
            "ss", AttributeValue.fromSs(List.of("a", "b")),
            "ns", AttributeValue.fromNs(List.of("1", "2.5")),
            "bs", AttributeValue.fromBs(List.of(SdkBytes.fromUtf8String("x"))),
            "m", AttributeValue.fromM(Map.of("inner", AttributeValue.fromL(List.of(AttributeValue.fromBool(true),
                    AttributeValue.fromNul(true))))),
            "emptyList", AttributeValue.fromL(List.of()),
            "emptyMap", AttributeValue.fromM(Map.of()));
    private static final String EVERY_KIND_JSON = """
            {"s":{"S":"text with \\"quotes\\" and ü"},"n":{"N":"-12.50"},"b":{"B":"Ynl0ZXM="},
             "ss":{"SS":["a","b"]},"ns":{"NS":["1","2.5"]},"bs":{"BS":["eA=="]},
             "m":{"M":{"inner":{"L":[{"BOOL":true},{"NULL":true}]}}},"emptyList":{"L":[]},"emptyMap":{"M":{}}}""";
    private static final Map<String, AttributeValue> KEY = Map.of("pk", AttributeValue.fromS("job#1"));

    @Test
    void put_item_with_every_kind_of_value_and_a_condition() {
        var response = sameDynamo(d -> d.putItem(b -> b.tableName("jobs").item(EVERY_KIND)
                        .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", "pk"))
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)),
                """
                {"ConsumedCapacity":{"TableName":"jobs","CapacityUnits":1.0,"Table":{"CapacityUnits":1.0},
                 "GlobalSecondaryIndexes":{"byStatus":{"CapacityUnits":0.5}}}}""");
        assertThat(response.consumedCapacity().globalSecondaryIndexes().get("byStatus").capacityUnits())
                .isEqualTo(0.5);
    }

    @Test
    void get_item_reads_every_kind_of_value() {
        var response = sameDynamo(d -> d.getItem(b -> b.tableName("jobs").key(KEY).consistentRead(true)
                .projectionExpression("s, n")), "{\"Item\":" + EVERY_KIND_JSON + "}");
        assertThat(response.item()).isEqualTo(EVERY_KIND);
    }

    @Test
    void get_item_of_a_missing_item() {
        var response = sameDynamo(d -> d.getItem(b -> b.tableName("jobs").key(KEY)), "{}");
        assertThat(response.hasItem()).isFalse();
    }

    @Test
    void update_item_returns_the_new_attributes() {
        var response = sameDynamo(d -> d.updateItem(b -> b.tableName("jobs").key(KEY)
                        .updateExpression("SET #s = :s ADD attempts :one")
                        .expressionAttributeNames(Map.of("#s", "status"))
                        .expressionAttributeValues(Map.of(":s", AttributeValue.fromS("RUNNING"),
                                ":one", AttributeValue.fromN("1")))
                        .returnValues(ReturnValue.ALL_NEW)),
                "{\"Attributes\":{\"status\":{\"S\":\"RUNNING\"},\"attempts\":{\"N\":\"1\"}}}");
        assertThat(response.attributes()).containsEntry("attempts", AttributeValue.fromN("1"));
    }

    @Test
    void query_an_index_from_a_start_key() {
        var response = sameDynamo(d -> d.query(b -> b.tableName("jobs").indexName("byStatus")
                        .keyConditionExpression("gsi1pk = :p").expressionAttributeValues(Map.of(":p",
                                AttributeValue.fromS("tenant#QUEUED")))
                        .exclusiveStartKey(KEY).limit(25).scanIndexForward(false)),
                "{\"Items\":[" + EVERY_KIND_JSON + ",{\"pk\":{\"S\":\"job#2\"}}],\"Count\":2,\"ScannedCount\":2,"
                        + "\"LastEvaluatedKey\":{\"pk\":{\"S\":\"job#2\"}}}");
        assertThat(response.items()).hasSize(2);
        assertThat(response.lastEvaluatedKey()).containsEntry("pk", AttributeValue.fromS("job#2"));
    }

    @Test
    void transact_write_items() {
        var response = sameDynamo(d -> d.transactWriteItems(b -> b.transactItems(
                TransactWriteItem.builder().put(Put.builder().tableName("jobs").item(EVERY_KIND).build()).build(),
                TransactWriteItem.builder().update(Update.builder().tableName("keys").key(KEY)
                        .updateExpression("SET v = :v").expressionAttributeValues(Map.of(":v",
                                AttributeValue.fromN("2"))).build()).build(),
                TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName("keys").key(KEY)
                        .conditionExpression("attribute_exists(pk)").build()).build())
                .clientRequestToken("token-1").returnConsumedCapacity(ReturnConsumedCapacity.INDEXES)),
                "{\"ConsumedCapacity\":[{\"TableName\":\"jobs\",\"CapacityUnits\":2.0},"
                        + "{\"TableName\":\"keys\",\"CapacityUnits\":4.0}]}");
        assertThat(response.consumedCapacity()).hasSize(2);
    }

    @Test
    void a_transaction_without_a_token_gets_one_that_its_retries_reuse() {
        CannedHttp http = new CannedHttp()
                .answer(400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ThrottlingException\",\"message\":\"x\"}")
                .answer(200, "{}");

        jsonDynamo(http).transactWriteItems(b -> b.transactItems(TransactWriteItem.builder()
                .put(Put.builder().tableName("jobs").item(KEY).build()).build()));

        var tokens = http.sent().stream().map(sent -> json(sent.body()).path("ClientRequestToken").asText()).toList();
        assertThat(tokens).hasSize(2).allSatisfy(token -> assertThat(UUID.fromString(token)).isNotNull());
        assertThat(tokens.get(1)).isEqualTo(tokens.get(0));
    }

    @Test
    void batch_get_items_with_unprocessed_keys() {
        var response = sameDynamo(d -> d.batchGetItem(b -> b.requestItems(Map.of("jobs",
                        KeysAndAttributes.builder().keys(KEY, Map.of("pk", AttributeValue.fromS("job#2")))
                                .consistentRead(true).build()))),
                "{\"Responses\":{\"jobs\":[{\"pk\":{\"S\":\"job#1\"}}]},"
                        + "\"UnprocessedKeys\":{\"jobs\":{\"Keys\":[{\"pk\":{\"S\":\"job#2\"}}],"
                        + "\"ConsistentRead\":true}}}");
        assertThat(response.unprocessedKeys().get("jobs").keys()).hasSize(1);
    }

    @Test
    void scan_with_paginator_follows_last_evaluated_key() {
        CannedHttp http = new CannedHttp()
                .answer(200, "{\"Items\":[{\"pk\":{\"S\":\"a\"}}],\"LastEvaluatedKey\":{\"pk\":{\"S\":\"a\"}}}")
                .answer(200, "{\"Items\":[{\"pk\":{\"S\":\"b\"}}]}");
        var items = jsonDynamo(http).scanPaginator(b -> b.tableName("keys")).items().stream()
                .map(item -> item.get("pk").s()).toList();

        assertThat(items).containsExactly("a", "b");
        assertThat(json(http.sent().get(1).body()).get("ExclusiveStartKey").toString())
                .isEqualTo("{\"pk\":{\"S\":\"a\"}}");
    }

    @Test
    void a_failed_condition_is_the_sdk_exception_with_the_old_item() {
        var error = sameDynamoError(d -> d.putItem(b -> b.tableName("jobs").item(KEY)
                        .conditionExpression("attribute_not_exists(pk)")
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)),
                400, Map.of("x-amzn-RequestId", "REQ1"), """
                {"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
                 "message":"The conditional request failed","Item":{"pk":{"S":"job#1"},"v":{"N":"3"}}}""");
        assertThat(error).isInstanceOf(ConditionalCheckFailedException.class);
        assertThat(((ConditionalCheckFailedException) error).item()).containsEntry("v", AttributeValue.fromN("3"));
        assertThat(error.requestId()).isEqualTo("REQ1");
    }

    @Test
    void a_cancelled_transaction_carries_its_reasons() {
        var error = sameDynamoError(d -> d.transactWriteItems(b -> b.transactItems(TransactWriteItem.builder()
                        .put(Put.builder().tableName("jobs").item(KEY).build()).build()).clientRequestToken("t-1")),
                400, Map.of(), """
                {"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
                 "Message":"Transaction cancelled, please refer cancellation reasons for specific reasons \
                [ConditionalCheckFailed, None]",
                 "CancellationReasons":[{"Code":"ConditionalCheckFailed","Message":"The conditional request failed",
                   "Item":{"pk":{"S":"job#1"}}},{"Code":"None"}]}""");
        assertThat(((TransactionCanceledException) error).cancellationReasons()).extracting(r -> r.code())
                .containsExactly("ConditionalCheckFailed", "None");
    }

    @Test
    void an_error_the_model_does_not_know_is_the_service_base_exception() {
        var error = sameDynamoError(d -> d.getItem(b -> b.tableName("jobs").key(KEY)), 400, Map.of(),
                "{\"__type\":\"com.amazonaws.dynamodb.v20120810#BrandNewException\",\"message\":\"new\"}");
        assertThat(error).isExactlyInstanceOf(DynamoDbException.class);
        assertThat(error.awsErrorDetails().errorCode()).isEqualTo("BrandNewException");
    }

    @Test
    void throttling_and_server_errors_are_retried_until_an_answer() {
        CannedHttp http = new CannedHttp()
                .answer(503, "<html>Service Unavailable</html>")
                .answer(400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException\","
                        + "\"message\":\"slow down\"}")
                .answer(200, "{\"Item\":{\"pk\":{\"S\":\"job#1\"}}}");

        var response = jsonDynamo(http).getItem(b -> b.tableName("jobs").key(KEY));

        assertThat(response.item()).isEqualTo(KEY);
        assertThat(http.sent()).hasSize(3).extracting(CannedHttp.Sent::body).containsOnly(http.sent().get(0).body());
    }

    @Test
    void a_client_error_is_not_retried() {
        CannedHttp http = new CannedHttp().answer(400, "{\"__type\":\"com.amazon.coral.validate#ValidationException\","
                + "\"message\":\"One or more parameter values were invalid\"}");

        Throwable error = catchThrowable(() -> jsonDynamo(http).getItem(b -> b.tableName("jobs").key(KEY)));

        assertThat(error).isExactlyInstanceOf(DynamoDbException.class)
                .hasMessageStartingWith("One or more parameter values were invalid");
        assertThat(http.sent()).hasSize(1);
    }

    @Test
    void retries_stop_after_the_services_attempts() {
        CannedHttp http = new CannedHttp();
        for (int i = 0; i < 9; i++) {
            http.answer(500, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\",\"message\":\"x\"}");
        }
        Throwable error = catchThrowable(() -> jsonDynamo(http).getItem(b -> b.tableName("jobs").key(KEY)));

        assertThat(error).isInstanceOf(AwsServiceException.class);
        assertThat(((AwsServiceException) error).statusCode()).isEqualTo(500);
        assertThat(http.sent()).hasSize(AwsJsonClient.DYNAMODB.maxAttempts());
    }

    @Test
    void a_damaged_answer_fails_its_crc32_and_is_retried() {
        CannedHttp http = new CannedHttp()
                .answer(200, Map.of("x-amz-crc32", "12345"), "{\"Item\":{\"pk\":{\"S\":\"job#1\"}}}")
                .answer(200, Map.of("x-amz-crc32", "2745614147"), "{}");

        var response = jsonDynamo(http).getItem(b -> b.tableName("jobs").key(KEY));

        assertThat(response.hasItem()).isFalse();
        assertThat(http.sent()).hasSize(2);
    }

    @Test
    void no_answer_is_an_sdk_client_exception_naming_the_operation() {
        CannedHttp http = new CannedHttp();
        var client = new JsonDynamoDbClient(new AwsJsonClient(AwsJsonClient.DYNAMODB, ENDPOINT, "us-east-1", KEYS,
                http, Duration.ofMillis(300), AwsCallListener.NONE, Clock.systemUTC(), true));

        Throwable error = catchThrowable(() -> client.getItem(b -> b.tableName("t").key(KEY)));

        assertThat(error).isInstanceOf(SdkClientException.class).hasMessageContaining("GetItem to " + ENDPOINT)
                .hasMessageContaining("no answer queued");
        assertThat(http.sent()).as("retried within the call's time").hasSizeGreaterThan(1);
    }

    @Test
    void sqs_send_message_with_attributes() {
        var response = sameSqs(s -> s.sendMessage(b -> b.queueUrl("http://127.0.0.1:9324/000000000000/jobs")
                        .messageBody("{\"jobId\":\"1\"}").delaySeconds(5)
                        .messageAttributes(Map.of("tenant", MessageAttributeValue.builder().dataType("String")
                                .stringValue("acme").build()))),
                "{\"MessageId\":\"m-1\",\"MD5OfMessageBody\":\"0f4a3b8e3a3c9b0f5e1d7c6b5a4f3e2d\"}");
        assertThat(response.messageId()).isEqualTo("m-1");
    }

    @Test
    void sqs_receive_message_reads_system_attributes() {
        var response = sameSqs(s -> s.receiveMessage(b -> b.queueUrl("q").maxNumberOfMessages(10)
                        .visibilityTimeout(30)
                        .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)),
                "{\"Messages\":[{\"MessageId\":\"m-1\",\"ReceiptHandle\":\"r-1\",\"MD5OfBody\":\"x\",\"Body\":\"{}\","
                        + "\"Attributes\":{\"ApproximateReceiveCount\":\"2\"}}]}");
        assertThat(response.messages().get(0).attributes())
                .containsEntry(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "2");
    }

    @Test
    void sqs_queue_attributes_and_visibility() {
        var attributes = sameSqs(s -> s.getQueueAttributes(b -> b.queueUrl("q")
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)),
                "{\"Attributes\":{\"ApproximateNumberOfMessages\":\"7\"}}");
        assertThat(attributes.attributes()).containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "7");
        sameSqs(s -> s.changeMessageVisibility(b -> b.queueUrl("q").receiptHandle("r-1").visibilityTimeout(0)), "{}");
        sameSqs(s -> s.deleteMessage(b -> b.queueUrl("q").receiptHandle("r-1")), "{}");
    }

    @Test
    void a_missing_queue_is_the_sdk_exception_with_the_query_error_code() {
        CannedHttp sdkHttp = new CannedHttp();
        CannedHttp ourHttp = new CannedHttp();
        for (CannedHttp http : List.of(sdkHttp, ourHttp)) {
            http.answer(400, Map.of("x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender"),
                    "{\"__type\":\"com.amazonaws.sqs#QueueDoesNotExist\","
                            + "\"message\":\"The specified queue does not exist.\"}");
        }
        Function<SqsClient, Object> call = s -> s.sendMessage(b -> b.queueUrl("q").messageBody("{}"));
        var expected = (AwsServiceException) catchThrowable(() -> call.apply(sdkSqs(sdkHttp)));
        var actual = (AwsServiceException) catchThrowable(() -> call.apply(jsonSqs(ourHttp)));

        assertThat(actual).isExactlyInstanceOf(QueueDoesNotExistException.class);
        assertSameError(actual, expected);
        assertThat(actual.awsErrorDetails().errorCode()).isEqualTo("AWS.SimpleQueueService.NonExistentQueue");
    }

    private static <T> T sameDynamo(Function<DynamoDbClient, T> call, String answer) {
        return same(call, JsonClientsTest::sdkDynamo, JsonClientsTest::jsonDynamo, answer);
    }

    private static <T> T sameSqs(Function<SqsClient, T> call, String answer) {
        return same(call, JsonClientsTest::sdkSqs, JsonClientsTest::jsonSqs, answer);
    }

    /** The call made with the SDK's client and with Jobway's, each given {@code answer}: the same both ways. */
    private static <C, T> T same(Function<C, T> call, Function<CannedHttp, C> sdk, Function<CannedHttp, C> ours,
                                 String answer) {
        CannedHttp sdkHttp = new CannedHttp().answer(200, answer);
        CannedHttp ourHttp = new CannedHttp().answer(200, answer);
        T expected = call.apply(sdk.apply(sdkHttp));
        T actual = call.apply(ours.apply(ourHttp));
        assertSameRequest(ourHttp, sdkHttp);
        assertSameFields(actual, expected);
        return actual;
    }

    /** Equal members (a response's own equals also compares the HTTP response, which differs). */
    private static void assertSameFields(Object actual, Object expected) {
        for (SdkField<?> field : ((SdkPojo) expected).sdkFields()) {
            assertThat(field.getValueOrDefault(actual)).as(field.memberName())
                    .isEqualTo(field.getValueOrDefault(expected));
        }
    }

    private static AwsServiceException sameDynamoError(Function<DynamoDbClient, ?> call, int status,
                                                       Map<String, String> headers, String answer) {
        CannedHttp sdkHttp = new CannedHttp().answer(status, headers, answer);
        CannedHttp ourHttp = new CannedHttp().answer(status, headers, answer);
        var expected = (AwsServiceException) catchThrowable(() -> call.apply(sdkDynamo(sdkHttp)));
        var actual = (AwsServiceException) catchThrowable(() -> call.apply(jsonDynamo(ourHttp)));
        assertSameRequest(ourHttp, sdkHttp);
        assertSameError(actual, expected);
        return actual;
    }

    private static void assertSameError(AwsServiceException actual, AwsServiceException expected) {
        assertThat(actual).isExactlyInstanceOf(expected.getClass()).hasMessage(expected.getMessage());
        assertSameFields(actual, expected);
        assertThat(actual.statusCode()).isEqualTo(expected.statusCode());
        assertThat(actual.requestId()).isEqualTo(expected.requestId());
        assertThat(actual.awsErrorDetails().errorCode()).isEqualTo(expected.awsErrorDetails().errorCode());
        assertThat(actual.awsErrorDetails().errorMessage()).isEqualTo(expected.awsErrorDetails().errorMessage());
        assertThat(actual.awsErrorDetails().serviceName()).isEqualTo(expected.awsErrorDetails().serviceName());
    }

    private static void assertSameRequest(CannedHttp ours, CannedHttp sdk) {
        assertThat(ours.sent()).hasSize(1);
        assertThat(sdk.sent()).hasSize(1);
        var our = ours.sent().get(0);
        var their = sdk.sent().get(0);
        assertThat(our.target()).isNotEmpty().isEqualTo(their.target());
        for (String header : List.of("Content-Type", "x-amzn-query-mode", "Content-Length")) {
            assertThat(our.request().firstMatchingHeader(header)).as(header)
                    .isEqualTo(their.request().firstMatchingHeader(header));
        }
        assertThat(signedHeaders(our)).as("the SDK's, less its own invocation id and retry count")
                .isEqualTo(signedHeaders(their).replace("amz-sdk-invocation-id;amz-sdk-request;", ""));
        assertThat(json(our.body())).isEqualTo(json(their.body()));
    }

    private static String signedHeaders(CannedHttp.Sent sent) {
        return sent.request().firstMatchingHeader("Authorization").orElseThrow().replaceAll(".*SignedHeaders=|,.*", "");
    }

    private static JsonNode json(String body) {
        return Json.parse(body);
    }

    private static DynamoDbClient sdkDynamo(CannedHttp http) {
        return DynamoDbClient.builder().region(Region.US_EAST_1).endpointOverride(ENDPOINT).credentialsProvider(KEYS)
                .httpClient(http).build();
    }

    private static SqsClient sdkSqs(CannedHttp http) {
        return SqsClient.builder().region(Region.US_EAST_1).endpointOverride(ENDPOINT).credentialsProvider(KEYS)
                .checksumValidationEnabled(false).httpClient(http).build();
    }

    private static DynamoDbClient jsonDynamo(CannedHttp http) {
        return new JsonDynamoDbClient(client(AwsJsonClient.DYNAMODB, http));
    }

    private static SqsClient jsonSqs(CannedHttp http) {
        return new JsonSqsClient(client(AwsJsonClient.SQS, http));
    }

    private static AwsJsonClient client(AwsJsonClient.Service service, CannedHttp http) {
        return new AwsJsonClient(service, ENDPOINT, "us-east-1", KEYS, http, Duration.ofSeconds(10),
                AwsCallListener.NONE, Clock.systemUTC(), true);
    }
}
