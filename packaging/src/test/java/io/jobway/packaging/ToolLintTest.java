package io.jobway.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** AWS's own checkers accept template.yaml with no error and no warning; a broken template makes them fail. */
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
