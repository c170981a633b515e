package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.json.Json;
import io.jobway.local.emulator.AwsEndpoints;
import io.jobway.local.emulator.EmulatorClients;
import io.jobway.local.template.CfnResource;
import io.jobway.local.template.CfnTemplate;
import io.jobway.local.template.EventSource;
import io.jobway.local.template.FunctionSpec;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * template.yaml deployed as {@code sam deploy} deploys it (SAM's transform, then CloudFormation), to moto's
 * CloudFormation: the queues, tables, streams and event source mappings it creates carry the template's settings,
 * read from the template itself. local/src/test/resources/sam_to_moto.py transforms and deploys (with boto3) and
 * leaves out what moto lacks (Lambda aliases, API Gateway v2; the functions' code); moto also ignores
 * TimeToLiveSpecification, so TTL is not checked. docs/ARCHITECTURE.md, "Emulator differences", lists it.
 */
@EnabledIfSystemProperty(named = E2eTarget.PROPERTY, matches = "(?i)moto",
        disabledReason = "deploys to moto's CloudFormation (the e2e-moto execution)")
class MotoCloudFormationTest {
    private static final String STACK = "jobway-cfn";
    private static final CfnTemplate TEMPLATE = CfnTemplate.load(LocalJobway.templatePath());
    private static SqsClient sqs;
    private static DynamoDbClient dynamo;
    private static JsonNode report;
    private static Map<String, String> physical;

    @BeforeAll
    static void deploy() throws IOException, InterruptedException {
        URI endpoint = LocalJobway.emulatorEndpoint();
        EmulatorClients clients = EmulatorClients.of("us-east-1", AwsEndpoints.EXTERNAL_CREDENTIALS);
        sqs = clients.sqsClient(endpoint);
        dynamo = clients.dynamoClient(endpoint);
        report = deployWithSamToMoto(endpoint);
        assertThat(report.get("status").asText()).as("the stack: %s", report.get("reason")).isEqualTo("CREATE_COMPLETE");
        physical = report.get("physical").properties().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().asText()));
    }

    @AfterAll
    static void close() {
        if (sqs != null) {
            sqs.close();
            dynamo.close();
        }
    }

    private static JsonNode deployWithSamToMoto(URI endpoint) throws IOException, InterruptedException {
        Path python = ExternalEmulator.PROJECT.resolve(".venv/bin/python");
        Path script = Path.of("src", "test", "resources", "sam_to_moto.py").toAbsolutePath();
        File errors = File.createTempFile("sam-to-moto", ".log");
        ProcessBuilder builder = new ProcessBuilder(python.toString(), script.toString(),
                LocalJobway.templatePath().toString(), endpoint.toString(), STACK).redirectError(errors);
        builder.environment().put("AWS_DEFAULT_REGION", "us-east-1"); // the translator asks for one
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("sam_to_moto.py: %s", Files.readString(errors.toPath())).isZero();
        return Json.parse(output);
    }

    /** The mappings moto created for one function, as ListEventSourceMappings describes them. */
    private static List<JsonNode> mappingsOf(String functionLogicalId) {
        String name = physical.get(functionLogicalId);
        List<JsonNode> mappings = new ArrayList<>();
        report.get("mappings").forEach(m -> {
            if (m.get("FunctionArn").asText().endsWith(":function:" + name)) {
                mappings.add(m);
            }
        });
        return mappings;
    }

    @Test
    void only_lambda_aliases_and_api_gateway_v2_are_left_out() {
        assertThat(report.get("removed").properties()).isNotEmpty().allSatisfy(entry -> assertThat(entry.getValue().asText())
                .matches("AWS::Lambda::Alias|AWS::ApiGatewayV2::.*"));
        // queues and tables; moto skips AWS::SQS::QueuePolicy without a word (it does not implement it)
        assertThat(physical).containsKeys(TEMPLATE.resources().values().stream()
                .filter(r -> r.type().equals("AWS::SQS::Queue") || r.type().startsWith("AWS::DynamoDB::"))
                .map(CfnResource::logicalId).toArray(String[]::new));
    }

    @Test
    void every_queue_has_the_templates_visibility_retention_and_redrive() {
        for (CfnResource queue : TEMPLATE.resourcesOfType("AWS::SQS::Queue")) {
            Map<String, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(physical.get(queue.logicalId()))
                    .attributeNamesWithStrings("All")).attributesAsStrings();

            assertThat(attributes).as(queue.logicalId())
                    .containsEntry("VisibilityTimeout", String.valueOf(queue.properties().getOrDefault("VisibilityTimeout", 30)))
                    .containsEntry("MessageRetentionPeriod", String.valueOf(queue.property("MessageRetentionPeriod")));
            Map<?, ?> redrive = (Map<?, ?>) queue.property("RedrivePolicy");
            if (redrive == null) {
                assertThat(attributes).as(queue.logicalId()).doesNotContainKey("RedrivePolicy");
                continue;
            }
            JsonNode actual = Json.parse(attributes.get("RedrivePolicy"));
            String deadLetterQueue = (String) ((List<?>) ((Map<?, ?>) redrive.get("deadLetterTargetArn"))
                    .get("Fn::GetAtt")).get(0);
            assertThat(actual.get("maxReceiveCount").asInt()).as(queue.logicalId())
                    .isEqualTo(number(redrive.get("maxReceiveCount")));
            assertThat(actual.get("deadLetterTargetArn").asText()).as(queue.logicalId())
                    .isEqualTo(queueArn(deadLetterQueue));
        }
    }

    @Test
    void every_table_has_the_templates_keys_indexes_stream_and_billing() {
        for (CfnResource table : TEMPLATE.resourcesOfType("AWS::DynamoDB::Table")) {
            TableDescription actual = dynamo.describeTable(b -> b.tableName(physical.get(table.logicalId()))).table();

            assertThat(actual.billingModeSummary().billingModeAsString()).as(table.logicalId())
                    .isEqualTo(table.property("BillingMode"));
            assertThat(actual.keySchema()).as(table.logicalId())
                    .extracting(k -> Map.<String, Object>of("AttributeName", k.attributeName(), "KeyType", k.keyTypeAsString()))
                    .containsExactlyElementsOf(maps(table.property("KeySchema")));
            Map<String, String> indexes = maps(table.property("GlobalSecondaryIndexes")).stream().collect(
                    Collectors.toMap(i -> (String) i.get("IndexName"),
                            i -> (String) ((Map<?, ?>) i.get("Projection")).get("ProjectionType")));
            assertThat(actual.globalSecondaryIndexes().stream().collect(Collectors.toMap(
                    i -> i.indexName(), i -> i.projection().projectionTypeAsString())))
                    .as(table.logicalId()).isEqualTo(indexes);
            Map<?, ?> stream = (Map<?, ?>) table.property("StreamSpecification");
            if (stream != null) {
                assertThat(actual.streamSpecification().streamViewTypeAsString()).as(table.logicalId())
                        .isEqualTo(stream.get("StreamViewType"));
                assertThat(actual.latestStreamArn()).as(table.logicalId()).isNotBlank();
            } else {
                assertThat(actual.latestStreamArn()).as(table.logicalId()).isNull();
            }
        }
    }

    @Test
    void every_queue_and_stream_trigger_is_a_mapping_with_the_templates_batching_and_failure_handling() {
        for (FunctionSpec function : TEMPLATE.functions()) {
            List<JsonNode> mappings = mappingsOf(function.logicalId());
            assertThat(mappings).as(function.logicalId())
                    .hasSize(function.sqsEvents().size() + function.dynamoDbEvents().size());
            for (EventSource event : function.sqsEvents()) {
                String queue = logicalIdOf(event.property("Queue"));
                JsonNode mapping = only(mappings, queueArn(queue));
                assertCommon(mapping, event);
                assertThat(mapping.at("/ScalingConfig/MaximumConcurrency").asInt()).as(event.name())
                        .isEqualTo(number(((Map<?, ?>) event.property("ScalingConfig")).get("MaximumConcurrency")));
            }
            for (EventSource event : function.dynamoDbEvents()) {
                String table = logicalIdOf(event.property("Stream"));
                String streamArn = dynamo.describeTable(b -> b.tableName(physical.get(table))).table().latestStreamArn();
                JsonNode mapping = only(mappings, streamArn);
                assertCommon(mapping, event);
                assertThat(mapping.get("StartingPosition").asText()).isEqualTo(event.property("StartingPosition"));
                assertThat(mapping.get("BisectBatchOnFunctionError").asBoolean())
                        .isEqualTo(Boolean.parseBoolean(String.valueOf(event.property("BisectBatchOnFunctionError"))));
                assertThat(mapping.get("MaximumRetryAttempts").asInt()).isEqualTo(number(event.property("MaximumRetryAttempts")));
                assertThat(mapping.get("MaximumRecordAgeInSeconds").asInt())
                        .isEqualTo(number(event.property("MaximumRecordAgeInSeconds")));
                String onFailure = logicalIdOf(((Map<?, ?>) ((Map<?, ?>) event.property("DestinationConfig"))
                        .get("OnFailure")).get("Destination"));
                assertThat(mapping.at("/DestinationConfig/OnFailure/Destination").asText()).isEqualTo(queueArn(onFailure));
            }
        }
    }

    private static void assertCommon(JsonNode mapping, EventSource event) {
        assertThat(mapping.get("BatchSize").asInt()).as(event.name()).isEqualTo(number(event.property("BatchSize")));
        assertThat(mapping.get("MaximumBatchingWindowInSeconds").asInt()).as(event.name())
                .isEqualTo(number(event.property("MaximumBatchingWindowInSeconds")));
        List<String> responseTypes = new ArrayList<>();
        mapping.get("FunctionResponseTypes").forEach(t -> responseTypes.add(t.asText()));
        assertThat(responseTypes).as(event.name()).isEqualTo(event.property("FunctionResponseTypes"));
    }

    private static JsonNode only(List<JsonNode> mappings, String sourceArn) {
        return mappings.stream().filter(m -> m.get("EventSourceArn").asText().equals(sourceArn)).findFirst()
                .orElseThrow(() -> new AssertionError("no mapping reads " + sourceArn + " among " + mappings));
    }

    private static String queueArn(String logicalId) {
        return sqs.getQueueAttributes(b -> b.queueUrl(physical.get(logicalId))
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    /**
     * A number as the template writes it (the template reader keeps scalars as text), or the default of the
     * parameter it names: the stack is deployed with the defaults.
     */
    private static int number(Object value) {
        if (value instanceof Map<?, ?> ref && ref.get("Ref") instanceof String parameter) {
            return Integer.parseInt(TEMPLATE.parameterDefaults().get(parameter));
        }
        return Integer.parseInt(String.valueOf(value));
    }

    /** The logical id a {@code !GetAtt X.Arn} / {@code !GetAtt X.StreamArn} refers to. */
    private static String logicalIdOf(Object getAtt) {
        return (String) ((List<?>) ((Map<?, ?>) getAtt).get("Fn::GetAtt")).get(0);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Object list) {
        return list == null ? List.of() : (List<Map<String, Object>>) list;
    }
}
