package io.jobway.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobway.local.template.CfnTemplate;
import io.jobway.local.template.FunctionSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The real template keeps every rule; a snippet that breaks one makes that rule fail. */
class TemplateRulesTest {
    private final TemplateRules real = new TemplateRules(Templates.source());

    @Test
    void the_real_template_keeps_every_rule() {
        assertThat(real.batchItemFailures()).isEmpty();
        assertThat(real.visibilityTimeouts()).isEmpty();
        assertThat(real.redrivePolicies()).isEmpty();
        assertThat(real.streamFailureHandling()).isEmpty();
        assertThat(real.snapStart()).isEmpty();
        assertThat(real.environment(EnvironmentReads.ofRepository())).isEmpty();
    }

    /**
     * A function builds its AWS clients with call timeouts fitted to its Lambda timeout, which it knows as a
     * constant (Lambda does not tell a function its timeout before an invocation): that constant is the template's.
     */
    @Test
    void every_handler_knows_its_functions_timeout_as_the_template_sets_it() throws ReflectiveOperationException {
        for (FunctionSpec function : Templates.source().functions()) {
            Class<?> handler = Class.forName(function.handler().substring(0, function.handler().indexOf("::")));
            assertThat(handler.getField("LAMBDA_TIMEOUT").get(null)).as(function.logicalId())
                    .isEqualTo(Duration.ofSeconds(function.timeoutSeconds()));
        }
    }

    @Test
    void the_real_templates_dead_letter_queues_are_found_by_their_wiring() {
        assertThat(real.deadLetterQueues())
                .containsExactlyInAnyOrder("JobsDeadLetterQueue", "WebhookDeadLetterQueue", "NotifierFailureQueue");
    }

    @Test
    void an_sqs_mapping_without_report_batch_item_failures_is_reported() {
        var rules = rules(function("Worker", 30, """
                        Jobs:
                          Type: SQS
                          Properties: { Queue: !GetAtt Jobs.Arn }
                """) + queue("Jobs", 180, "Dlq") + queue("Dlq", null, null));

        assertThat(rules.batchItemFailures()).containsExactly(
                "Worker.Jobs (SQS) lacks FunctionResponseTypes: [ReportBatchItemFailures]");
    }

    @Test
    void a_stream_mapping_without_report_batch_item_failures_is_reported() {
        var rules = rules(function("Notifier", 30, streamEvent("MaximumRetryAttempts: 5",
                "DestinationConfig: { OnFailure: { Type: SQS, Destination: !GetAtt Failures.Arn } }"))
                + table() + queue("Failures", null, null));

        assertThat(rules.batchItemFailures()).containsExactly(
                "Notifier.Changes (DynamoDB) lacks FunctionResponseTypes: [ReportBatchItemFailures]");
    }

    @Test
    void a_queue_that_hides_a_message_for_less_than_six_timeouts_is_reported() {
        var rules = rules(function("Worker", 900, sqsEvent("Jobs")) + queue("Jobs", 900, "Dlq") + queue("Dlq", null, null));

        assertThat(rules.visibilityTimeouts()).containsExactly(
                "Jobs VisibilityTimeout is 900 s; Worker consumes it with a 900 s timeout, so it needs >= 5400 s");
    }

    @Test
    void a_queue_without_visibility_timeout_counts_as_sqs_default_of_30_seconds() {
        var rules = rules(function("Worker", 10, sqsEvent("Jobs")) + queue("Jobs", null, "Dlq") + queue("Dlq", null, null));

        assertThat(rules.visibilityTimeouts()).containsExactly(
                "Jobs VisibilityTimeout is 30 s; Worker consumes it with a 10 s timeout, so it needs >= 60 s");
    }

    @Test
    void a_queue_without_redrive_policy_is_reported_unless_it_is_a_dead_letter_queue() {
        var rules = rules(function("Worker", 30, sqsEvent("Jobs")) + queue("Jobs", 180, null) + queue("Orphan", null, null)
                + queue("Other", 180, "Dlq") + queue("Dlq", null, null));

        assertThat(rules.redrivePolicies()).hasSize(2)
                .anySatisfy(problem -> assertThat(problem).startsWith("Jobs has no RedrivePolicy"))
                .anySatisfy(problem -> assertThat(problem).startsWith("Orphan has no RedrivePolicy"));
    }

    @Test
    void a_stream_mapping_without_retry_limit_or_on_failure_destination_is_reported() {
        var rules = rules(function("Notifier", 30, streamEvent("FunctionResponseTypes: [ReportBatchItemFailures]"))
                + table());

        assertThat(rules.streamFailureHandling()).containsExactly(
                "Notifier.Changes (DynamoDB) sets no MaximumRetryAttempts (the default, -1, retries until the record expires)",
                "Notifier.Changes (DynamoDB) has no DestinationConfig.OnFailure.Destination: a record that keeps failing"
                        + " is dropped without a trace");
    }

    @Test
    void a_function_without_snapstart_or_alias_is_reported() {
        var rules = new TemplateRules(CfnTemplate.parse("""
                Resources:
                  Plain:
                    Type: AWS::Serverless::Function
                    Properties: { Handler: a.B::handleRequest, Runtime: java21 }
                """, "snippet"));

        assertThat(rules.snapStart()).containsExactly(
                "Plain has no SnapStart: {ApplyOn: PublishedVersions} (its own or from Globals)",
                "Plain has no AutoPublishAlias: SnapStart applies only to published versions");
    }

    @Test
    void an_authorizer_or_integration_that_invokes_the_bare_function_is_reported() {
        var rules = new TemplateRules(CfnTemplate.parse(GLOBALS + """
                Resources:
                  Auth:
                    Type: AWS::Serverless::Function
                    Properties: { Handler: a.B::handleRequest }
                  Api:
                    Type: AWS::Serverless::HttpApi
                    Properties:
                      Auth:
                        Authorizers:
                          Key: { FunctionArn: !GetAtt Auth.Arn }
                  Integration:
                    Type: AWS::ApiGatewayV2::Integration
                    Properties:
                      IntegrationUri: !Sub "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${AuthAliaslive}/invocations"
                """, "snippet"));

        assertThat(rules.snapStart()).containsExactly("Api.Auth.Authorizers.Key invokes Auth itself, which runs $LATEST"
                + " without SnapStart; name its alias AuthAliaslive");
    }

    @Test
    void globals_give_every_function_snapstart_and_its_alias() {
        var rules = new TemplateRules(CfnTemplate.parse(GLOBALS + """
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties: { Handler: a.B::handleRequest }
                """, "snippet"));

        assertThat(rules.snapStart()).isEmpty();
    }

    private static final String GLOBALS = """
            Globals:
              Function:
                Runtime: java21
                AutoPublishAlias: live
                SnapStart: { ApplyOn: PublishedVersions }
            """;

    private static TemplateRules rules(String resources) {
        return new TemplateRules(CfnTemplate.parse(GLOBALS + "Resources:\n" + resources, "snippet"));
    }

    private static String function(String id, int timeout, String events) {
        return """
                  %s:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.B::handleRequest
                      Timeout: %d
                      Events:
                %s""".formatted(id, timeout, events);
    }

    private static String sqsEvent(String queue) {
        return """
                        Jobs:
                          Type: SQS
                          Properties: { Queue: !GetAtt %s.Arn, FunctionResponseTypes: [ReportBatchItemFailures] }
                """.formatted(queue);
    }

    private static String streamEvent(String... properties) {
        var text = new StringBuilder("""
                        Changes:
                          Type: DynamoDB
                          Properties:
                            Stream: !GetAtt Table.StreamArn
                            StartingPosition: LATEST
                """);
        for (String property : properties) {
            text.append("            ").append(property).append('\n');
        }
        return text.toString();
    }

    private static String table() {
        return """
                  Table:
                    Type: AWS::DynamoDB::Table
                    Properties: { StreamSpecification: { StreamViewType: NEW_IMAGE } }
                """;
    }

    private static String queue(String id, Integer visibility, String deadLetterQueue) {
        var text = new StringBuilder("  " + id + ":\n    Type: AWS::SQS::Queue\n    Properties:\n"
                + "      MessageRetentionPeriod: 1209600\n");
        if (visibility != null) {
            text.append("      VisibilityTimeout: ").append(visibility).append('\n');
        }
        if (deadLetterQueue != null) {
            text.append("      RedrivePolicy: { deadLetterTargetArn: !GetAtt ").append(deadLetterQueue)
                    .append(".Arn, maxReceiveCount: 5 }\n");
        }
        return text.toString();
    }
}
