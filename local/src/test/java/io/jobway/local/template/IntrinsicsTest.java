package io.jobway.local.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IntrinsicsTest {
    private static final String QUEUE_URL = "http://127.0.0.1:9324/000000000000/jobway-local-JobsQueue";
    private static final String QUEUE_ARN = "arn:aws:sqs:us-east-1:000000000000:jobway-local-JobsQueue";
    private static final String DLQ_URL = "http://127.0.0.1:9324/000000000000/jobway-local-JobsDeadLetterQueue";
    private static final String TABLE_ARN = "arn:aws:dynamodb:us-east-1:000000000000:table/jobway-local-JobsTable";

    private final ResourceLookup created = id -> switch (id) {
        case "JobsQueue", "JobsHighQueue", "JobsLowQueue", "JobsDeadLetterQueue" -> Optional.of(queue(id));
        case "JobsTable" -> Optional.of(new PhysicalResource(id, "AWS::DynamoDB::Table", "jobway-local-JobsTable",
                Map.of("Arn", TABLE_ARN, "StreamArn", TABLE_ARN + "/stream/2026-01-01T00:00:00.000")));
        case "WebhookSecretsTable", "IdempotencyTable", "LimitsTable" -> Optional.of(new PhysicalResource(id,
                "AWS::DynamoDB::Table", "jobway-local-" + id, Map.of()));
        default -> Optional.empty();
    };
    private final CfnTemplate template = CfnTemplate.load(CfnTemplateTest.TEMPLATE);
    private final Intrinsics intrinsics = new Intrinsics(template.parameterDefaults(), StackContext.LOCAL, created);

    @Test
    void ref_gives_a_parameter_value_a_pseudo_parameter_or_a_created_resource() {
        assertThat(intrinsics.resolve(Map.of("Ref", "RetryCapSeconds"))).isEqualTo("900");
        assertThat(intrinsics.resolve(Map.of("Ref", "AWS::Region"))).isEqualTo("us-east-1");
        assertThat(intrinsics.resolve(Map.of("Ref", "AWS::StackName"))).isEqualTo("jobway-local");
        assertThat(intrinsics.resolve(Map.of("Ref", "JobsQueue"))).isEqualTo(QUEUE_URL);
        assertThat(intrinsics.resolve(Map.of("Ref", "JobsTable"))).isEqualTo("jobway-local-JobsTable");
    }

    @Test
    void get_att_reads_a_created_resource_attribute() {
        assertThat(intrinsics.resolve(Map.of("Fn::GetAtt", List.of("JobsQueue", "Arn")))).isEqualTo(QUEUE_ARN);
        assertThat(intrinsics.resolve(Map.of("Fn::GetAtt", List.of("JobsTable", "StreamArn")))).startsWith(TABLE_ARN + "/stream/");
    }

    @Test
    void sub_replaces_parameters_attributes_and_its_own_variables_and_keeps_escaped_literals() {
        assertThat(intrinsics.resolve(Map.of("Fn::Sub", "${JobsTable.Arn}/index/byTenant")))
                .isEqualTo(TABLE_ARN + "/index/byTenant");
        assertThat(intrinsics.resolve(Map.of("Fn::Sub", "https://${AWS::Region}.${AWS::URLSuffix}/${!Literal}")))
                .isEqualTo("https://us-east-1.amazonaws.com/${Literal}");
        assertThat(intrinsics.resolve(Map.of("Fn::Sub", List.of("${Q}?n=${JobTypes}", Map.of("Q", Map.of("Ref", "JobsQueue"))))))
                .isEqualTo(QUEUE_URL + "?n=echo,sleep,fail,http");
    }

    @Test
    void join_concatenates_resolved_parts() {
        assertThat(intrinsics.resolve(Map.of("Fn::Join", List.of(":", List.of("a", Map.of("Ref", "RetryBaseSeconds"))))))
                .isEqualTo("a:2");
    }

    @Test
    void the_workers_environment_resolves_to_the_created_resources() {
        assertThat(intrinsics.resolveAll(template.function("WorkerFunction").environment()))
                .containsEntry("JOBS_TABLE", "jobway-local-JobsTable")
                .containsEntry("JOBS_QUEUE_URL", QUEUE_URL)
                .containsEntry("DEAD_LETTER_QUEUE_URL", DLQ_URL)
                .containsEntry("JOB_TYPES", "echo,sleep,fail,http")
                .containsEntry("RETRY_BASE_SECONDS", "2")
                .containsEntry("WEBHOOK_SECRETS_TABLE", "jobway-local-WebhookSecretsTable")
                .containsEntry("IDEMPOTENCY_TABLE", "jobway-local-IdempotencyTable");
    }

    @Test
    void references_name_every_resource_a_value_depends_on() {
        var statement = template.resource("ApiFunction").orElseThrow().property("Policies");
        assertThat(Intrinsics.references(statement)).contains("JobsTable", "IdempotencyTable", "JobsQueue");
    }

    @Test
    void what_cannot_be_resolved_is_refused_with_a_message_naming_it() {
        assertThatThrownBy(() -> intrinsics.resolve(Map.of("Fn::If", List.of("C", "a", "b"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Fn::If");
        assertThatThrownBy(() -> intrinsics.resolve(Map.of("Ref", "Nowhere")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Nowhere");
        assertThatThrownBy(() -> intrinsics.resolve(Map.of("Fn::GetAtt", List.of("JobsQueue", "Colour"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Colour").hasMessageContaining("Arn");
        assertThatThrownBy(() -> intrinsics.resolveAll(Map.of("API_URL", Map.of("Fn::GetAtt", List.of("HttpApi", "ApiEndpoint")))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("API_URL").hasMessageContaining("HttpApi");
    }

    private static PhysicalResource queue(String id) {
        String name = "jobway-local-" + id;
        String url = "http://127.0.0.1:9324/000000000000/" + name;
        return new PhysicalResource(id, "AWS::SQS::Queue", url,
                Map.of("Arn", "arn:aws:sqs:us-east-1:000000000000:" + name, "QueueUrl", url, "QueueName", name));
    }
}
