package io.jobway.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * AWS's own checkers, and checkov, accept template.yaml with no error, warning or failed check; a broken template
 * makes them fail.
 */
class ToolLintTest {
    @Test
    void cfn_lint_reports_nothing_on_the_template() {
        ToolRun run = PythonTools.run("cfn-lint", Repo.TEMPLATE.toString());

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.output()).as(run.describe()).isBlank();
    }

    @Test
    void sam_validate_with_lint_finds_the_template_valid() {
        ToolRun run = PythonTools.run("sam", "validate", "--lint", "--template-file", Repo.TEMPLATE.toString());

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.output().strip()).as(run.describe()).isEqualTo(Repo.TEMPLATE + " is a valid SAM Template");
    }

    /** checkov, pinned: no failed check, and every check the template skips says why in the template. */
    @Test
    void checkov_fails_no_check_and_each_skip_in_the_template_gives_its_reason() {
        ToolRun run = PythonTools.runIn(PythonTools.CHECKOV_VENV, "checkov", "-f", Repo.TEMPLATE.toString(),
                "--framework", "cloudformation", "--compact", "-o", "json");

        assertThat(run.exitCode()).as(run.describe()).isZero();
        JsonNode report = Json.parse(run.output().substring(run.output().indexOf('{')));
        assertThat(report.get("summary").get("failed").asInt()).as(run.describe()).isZero();
        assertThat(report.get("summary").get("passed").asInt()).as("checks passed").isPositive();
        assertThat(report.get("results").get("skipped_checks")).allSatisfy(skip -> assertThat(
                skip.get("check_result").path("suppress_comment").asText()).as(skip.get("check_id") + " on "
                + skip.get("resource")).hasSizeGreaterThan(40));
    }

    @Test
    void checkov_fails_on_a_queue_that_is_not_encrypted() throws IOException {
        Path plain = Files.createTempFile(Files.createDirectories(Repo.TARGET), "plain-queue-", ".yaml");
        Files.writeString(plain, """
                AWSTemplateFormatVersion: "2010-09-09"
                Resources:
                  Queue:
                    Type: AWS::SQS::Queue
                """);

        ToolRun run = PythonTools.runIn(PythonTools.CHECKOV_VENV, "checkov", "-f", plain.toString(),
                "--framework", "cloudformation", "--compact");

        assertThat(run.exitCode()).as(run.describe()).isNotZero();
        assertThat(run.output()).contains("CKV_AWS_27");
    }

    @Test
    void both_tools_fail_on_a_template_with_a_warning() throws IOException {
        // W3005: a DependsOn that a GetAtt already implies; a warning, which the tests treat as a failure too
        Path broken = Files.createTempFile(Files.createDirectories(Repo.TARGET), "broken-", ".yaml");
        Files.writeString(broken, """
                AWSTemplateFormatVersion: "2010-09-09"
                Transform: AWS::Serverless-2016-10-31
                Resources:
                  Queue:
                    Type: AWS::SQS::Queue
                    DependsOn: DeadLetters
                    Properties:
                      RedrivePolicy: { deadLetterTargetArn: !GetAtt DeadLetters.Arn, maxReceiveCount: 5 }
                  DeadLetters:
                    Type: AWS::SQS::Queue
                """);

        ToolRun lint = PythonTools.run("cfn-lint", broken.toString());
        ToolRun validate = PythonTools.run("sam", "validate", "--lint", "--template-file", broken.toString());

        assertThat(lint.exitCode()).as(lint.describe()).isNotZero();
        assertThat(lint.output()).as(lint.describe()).contains("W3005");
        assertThat(validate.exitCode()).as(validate.describe()).isNotZero();
    }
}
