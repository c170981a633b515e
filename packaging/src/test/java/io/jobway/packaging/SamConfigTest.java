package io.jobway.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** sam reads samconfig.toml: its validate section turns linting on, so plain `sam validate` lints. */
class SamConfigTest {
    @Test
    void sam_reads_samconfig_and_lints_as_it_says() {
        ToolRun run = PythonTools.run("sam", "validate", "--config-file", Repo.SAMCONFIG.toString(),
                "--template-file", Repo.TEMPLATE.toString());

        assertThat(run.exitCode()).as(run.describe()).isZero();
        // without lint = true, sam adds "This is according to basic SAM Validation, ... run with --lint"
        assertThat(run.output().strip()).as(run.describe()).isEqualTo(Repo.TEMPLATE + " is a valid SAM Template");
    }

    @Test
    void sam_refuses_a_samconfig_it_cannot_parse() throws IOException {
        Path broken = Files.createTempFile(Files.createDirectories(Repo.TARGET), "samconfig-", ".toml");
        Files.writeString(broken, "version = 0.1\n[default.deploy.parameters\nstack_name = \"jobway\"\n");

        ToolRun run = PythonTools.run("sam", "validate", "--config-file", broken.toString(),
                "--template-file", Repo.TEMPLATE.toString());

        assertThat(run.exitCode()).as(run.describe()).isNotZero();
    }

    @Test
    void the_built_template_is_what_samconfig_deploys_from() {
        // sam deploy reads .aws-sam/build/template.yaml after a default sam build; the tests build elsewhere
        // (packaging/target) but with the same samconfig, and the build must point at the Maven zips.
        SamBuild build = SamBuild.output();
        assertThat(build.run().output()).contains("Build Succeeded");
        build.functions().values().forEach(function ->
                assertThat(function.artifact()).as(function.logicalId()).startsWith(Repo.ROOT.resolve("functions")));
    }
}
