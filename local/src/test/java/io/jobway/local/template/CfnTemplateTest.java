package io.jobway.local.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CfnTemplateTest {
    static final Path TEMPLATE = Path.of("..", "template.yaml");
    private final CfnTemplate template = CfnTemplate.load(TEMPLATE);

    @Test
    void the_real_template_declares_its_functions_with_their_handlers() {
        assertThat(template.functions()).extracting(FunctionSpec::logicalId, FunctionSpec::handler).containsExactly(
                tuple("ApiFunction", "io.jobway.api.ApiFunction::handleRequest"),
                tuple("AuthorizerFunction", "io.jobway.api.AuthorizerFunction::handleRequest"),
                tuple("WebSocketFunction", "io.jobway.api.WebSocketFunction::handleRequest"),
                tuple("WorkerFunction", "io.jobway.worker.WorkerFunction::handleRequest"),
                tuple("NotifierFunction", "io.jobway.notifier.NotifierFunction::handleRequest"),
                tuple("WebhookFunction", "io.jobway.notifier.WebhookFunction::handleRequest"),
                tuple("SweeperFunction", "io.jobway.sweeper.SweeperFunction::handleRequest"));
    }

    @Test
    void a_function_property_comes_from_the_function_else_from_globals() {
        assertThat(template.functionProperty("WorkerFunction", "Runtime")).isEqualTo("java21");
        assertThat(template.functionProperty("WorkerFunction", "CodeUri")).isEqualTo("functions/worker/target/function.zip");
        assertThat(template.functionProperty("WorkerFunction", "ReservedConcurrentExecutions")).isNull();
    }

    @Test
    void a_reference_to_a_function_or_to_its_sam_alias_names_that_function() {
        assertThat(template.invokedFunction("AuthorizerFunction")).contains("AuthorizerFunction");
        assertThat(template.invokedFunction("AuthorizerFunctionAliaslive")).contains("AuthorizerFunction");
        assertThat(template.invokedFunction("AuthorizerFunctionAliasother")).isEmpty();
        assertThat(template.invokedFunction("JobsQueue")).isEmpty();
    }

    @Test
    void a_function_keeps_its_own_timeout_and_takes_memory_and_environment_from_globals() {
        FunctionSpec worker = template.function("WorkerFunction");

        assertThat(worker.timeoutSeconds()).isEqualTo(900);
        assertThat(worker.memoryMb()).isEqualTo(1024);
        assertThat(worker.environment())
                .containsEntry("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1")
                .containsEntry("JOBS_QUEUE_URL", Map.of("Ref", "JobsQueue"))
                .containsEntry("RETRY_BASE_SECONDS", Map.of("Ref", "RetryBaseSeconds"))
                .containsKeys("JOBS_TABLE", "DEAD_LETTER_QUEUE_URL", "JOB_TYPES", "RETRY_CAP_SECONDS", "JOB_RETENTION_DAYS");
    }

    @Test
    void a_function_without_variables_of_its_own_still_gets_the_global_ones() {
        CfnTemplate parsed = CfnTemplate.parse("""
                Globals:
                  Function:
                    Timeout: 30
                    Environment:
                      Variables:
                        SHARED: everywhere
                Resources:
                  Quiet:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: com.example.Quiet::handleRequest
                """, "inline");

        assertThat(parsed.function("Quiet").environment()).containsOnly(Map.entry("SHARED", "everywhere"));
    }

    @Test
    void each_function_lists_its_event_sources_by_type() {
        assertThat(template.function("WorkerFunction").sqsEvents()).extracting(event -> event.property("Queue"))
                .containsExactlyInAnyOrder(Map.of("Fn::GetAtt", List.of("JobsQueue", "Arn")),
                        Map.of("Fn::GetAtt", List.of("JobsHighQueue", "Arn")),
                        Map.of("Fn::GetAtt", List.of("JobsLowQueue", "Arn")));
        assertThat(template.function("WorkerFunction").sqsEvents())
                .allSatisfy(event -> assertThat(event.property("BatchSize")).isEqualTo("10"));
        assertThat(template.function("NotifierFunction").dynamoDbEvents()).singleElement()
                .satisfies(event -> assertThat(event.property("Stream"))
                        .isEqualTo(Map.of("Fn::GetAtt", List.of("JobsTable", "StreamArn"))));
        assertThat(template.function("SweeperFunction").scheduleEvents()).singleElement()
                .satisfies(event -> assertThat(event.property("Schedule")).isEqualTo("rate(1 minute)"));
        assertThat(template.function("ApiFunction").httpApiEvents()).extracting(EventSource::name)
                .containsExactly("CancelJob", "CreateBrowserToken", "CreateHookSource", "CreateKey", "CreateSchedule",
                        "DeleteHookSource", "DeleteLimit", "DeleteSchedule", "GetJob", "GetSchedule", "Health",
                        "JobDeliveries", "ListDeadJobs", "ListHookSources", "ListJobs", "ListKeys", "ListLimits",
                        "ListSchedules", "ListUnclaimedDeadLetters", "ListWebhookSecrets", "OpenApiDocument",
                        "PurgeDeadJobs", "PutLimit", "ReadStats", "ReceiveHook",
                        "RedriveDeadJobs", "ReplaceSchedule", "RetryJob", "RevokeKey", "RotateHookSource",
                        "RotateWebhookSecret", "SubmitJob", "SubmitJobs");
        assertThat(template.function("AuthorizerFunction").events()).isEmpty();
    }

    @Test
    void parameters_have_their_defaults_and_can_be_overridden_but_not_invented() {
        assertThat(template.parameterDefaults()).containsEntry("RetryBaseSeconds", "2").containsEntry("JobTypes", "echo,sleep,fail,http");
        assertThat(template.parameterValues(Map.of("RetryBaseSeconds", "5"))).containsEntry("RetryBaseSeconds", "5")
                .containsEntry("RetryCapSeconds", "900");
        assertThatThrownBy(() -> template.parameterValues(Map.of("NoSuchParameter", "1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NoSuchParameter");
    }

    @Test
    void an_override_must_meet_its_parameters_constraints_as_cloudformation_checks_them() {
        assertThat(template.parameterValues(Map.of("WorkerBatchingWindowSeconds", "20")))
                .containsEntry("WorkerBatchingWindowSeconds", "20");
        assertThatThrownBy(() -> template.parameterValues(Map.of("WorkerBatchingWindowSeconds", "21")))
                .hasMessage("Parameter WorkerBatchingWindowSeconds must be a number from 0 to 20, was '21'");
        assertThatThrownBy(() -> template.parameterValues(Map.of("WorkerBatchingWindowSeconds", "soon")))
                .hasMessage("Parameter WorkerBatchingWindowSeconds must be a number from 0 to 20, was 'soon'");
        assertThatThrownBy(() -> template.parameterValues(Map.of("AllowPrivateCallbackUrls", "yes")))
                .hasMessage("Parameter AllowPrivateCallbackUrls must be one of [true, false], was 'yes'");
    }

    @Test
    void resources_keep_their_type_and_raw_properties_with_scalars_as_strings() {
        CfnResource queue = template.resource("JobsQueue").orElseThrow();

        assertThat(queue.type()).isEqualTo("AWS::SQS::Queue");
        assertThat(queue.property("VisibilityTimeout")).isEqualTo("5400");
        assertThat(queue.property("RedrivePolicy")).isEqualTo(Map.of(
                "deadLetterTargetArn", Map.of("Fn::GetAtt", List.of("JobsDeadLetterQueue", "Arn")),
                "maxReceiveCount", "50"));
        assertThat(template.resourcesOfType("AWS::DynamoDB::Table")).extracting(CfnResource::logicalId)
                .containsExactly("JobsTable", "IdempotencyTable", "ApiKeysTable", "ConnectionsTable",
                        "WebhookSecretsTable", "HookSourcesTable", "SigningKeysTable", "DeliveriesTable", "LimitsTable",
                        "DeadLettersTable", "SchedulesTable");
    }

    @Test
    void every_short_form_tag_becomes_its_long_form() {
        CfnTemplate parsed = CfnTemplate.parse("""
                Resources:
                  Thing:
                    Type: Custom::Thing
                    Properties:
                      A: !Ref Param
                      B: !GetAtt Db.Endpoint.Address
                      C: !GetAtt [Queue, Arn]
                      D: !Sub "${Queue.Arn}/x"
                      E: !Sub ["${X}", { X: !Ref Param }]
                      F: !Join [",", [a, !Ref Param]]
                      G: !If [IsProd, !Select [0, !Split [",", "a,b"]], !Ref "AWS::NoValue"]
                      H: !Not [!Equals [a, b]]
                      I: !Condition IsProd
                      J: !FindInMap [M, K, V]
                      K: !GetAZs ""
                      L: !Base64 text
                """, "inline");

        var p = parsed.resource("Thing").orElseThrow().properties();
        assertThat(p.get("A")).isEqualTo(Map.of("Ref", "Param"));
        assertThat(p.get("B")).isEqualTo(Map.of("Fn::GetAtt", List.of("Db", "Endpoint.Address")));
        assertThat(p.get("C")).isEqualTo(Map.of("Fn::GetAtt", List.of("Queue", "Arn")));
        assertThat(p.get("D")).isEqualTo(Map.of("Fn::Sub", "${Queue.Arn}/x"));
        assertThat(p.get("E")).isEqualTo(Map.of("Fn::Sub", List.of("${X}", Map.of("X", Map.of("Ref", "Param")))));
        assertThat(p.get("F")).isEqualTo(Map.of("Fn::Join", List.of(",", List.of("a", Map.of("Ref", "Param")))));
        assertThat(p.get("G")).isEqualTo(Map.of("Fn::If", List.of("IsProd",
                Map.of("Fn::Select", List.of("0", Map.of("Fn::Split", List.of(",", "a,b")))),
                Map.of("Ref", "AWS::NoValue"))));
        assertThat(p.get("H")).isEqualTo(Map.of("Fn::Not", List.of(Map.of("Fn::Equals", List.of("a", "b")))));
        assertThat(p.get("I")).isEqualTo(Map.of("Condition", "IsProd"));
        assertThat(p.get("J")).isEqualTo(Map.of("Fn::FindInMap", List.of("M", "K", "V")));
        assertThat(p.get("K")).isEqualTo(Map.of("Fn::GetAZs", ""));
        assertThat(p.get("L")).isEqualTo(Map.of("Fn::Base64", "text"));
    }

    @Test
    void a_template_without_resources_or_with_a_typeless_resource_is_refused_with_its_name() {
        assertThatThrownBy(() -> CfnTemplate.parse("Parameters: {}", "empty.yaml"))
                .hasMessageContaining("empty.yaml").hasMessageContaining("Resources");
        assertThatThrownBy(() -> CfnTemplate.parse("Resources:\n  Q:\n    Properties: {}", "t.yaml"))
                .hasMessageContaining("Q").hasMessageContaining("Type");
    }
}
