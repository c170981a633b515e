package io.jobway.lambda;

import static io.jobway.lambda.Lambda.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.aws.Config;
import io.jobway.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What in-process tests cannot see, as a first deploy (on-demand init) would meet it: a handler string with a
 * typo, a class missing from the package, a variable the template forgot. Each is reported the way Lambda
 * reports it, with the runtime's own words.
 */
class PackageFailuresTest {
    private final Lambda lambda = Lambda.shared();

    @Test
    void a_handler_string_with_a_typo_is_the_runtimes_class_not_found_error() {
        FunctionPackage typo = lambda.stack.function("SweeperFunction")
                .withHandler("io.jobway.sweeper.SweeperFuncton::handleRequest");

        try (var sweeper = ExecutionEnvironment.start(lambda.java, typo)) {
            ExecutionEnvironment.Outcome outcome = sweeper.invoke(lambda.event("sweeper-schedule.json"));

            assertThat(outcome.ok()).isFalse();
            assertThat(outcome.errorType()).isEqualTo("Runtime.BadFunctionCode");
            assertThat(Json.parse(outcome.body())).isEqualTo(Json.parse("{\"errorMessage\":\"Class not found: "
                    + "io.jobway.sweeper.SweeperFuncton\",\"errorType\":\"java.lang.ClassNotFoundException\"}"));
        }
    }

    @Test
    void a_jar_missing_from_the_package_fails_the_init_with_the_class_it_lacks(@TempDir Path dir) throws IOException {
        FunctionPackage sweeper = lambda.stack.function("SweeperFunction");
        Path withoutSdkCore = dir.resolve("function.zip");
        copyZipWithout(sweeper.artifact(), withoutSdkCore, "lib/sdk-core-");

        try (var broken = ExecutionEnvironment.start(lambda.java, sweeper.withArtifact(withoutSdkCore))) {
            assertThatThrownBy(() -> broken.invoke(lambda.event("sweeper-schedule.json")))
                    .isInstanceOf(ExecutionEnvironment.FunctionFailed.class)
                    .hasMessageContaining("reported an init error, Runtime.BadFunctionCode")
                    .hasMessageContaining("\"errorType\":\"java.lang.NoClassDefFoundError\"")
                    .hasMessageContaining("software/amazon/awssdk/core/");
        }
    }

    @Test
    void a_variable_the_template_forgot_fails_the_init_naming_it() {
        FunctionPackage forgotten = lambda.stack.function("SweeperFunction").withoutVariable(Config.JOBS_TABLE);

        try (var sweeper = ExecutionEnvironment.start(lambda.java, forgotten)) {
            assertThatThrownBy(() -> sweeper.invoke(lambda.event("sweeper-schedule.json")))
                    .isInstanceOf(ExecutionEnvironment.FunctionFailed.class)
                    .hasMessageContaining("reported an init error")
                    .hasMessageContaining("environment variable JOBS_TABLE is not set");
        }
    }

    @Test
    void on_demand_too_the_api_answers_from_its_package() {
        try (var api = ExecutionEnvironment.start(lambda.java, lambda.stack.function("ApiFunction"))) {
            JsonNode response = answer(api, lambda.event("api-get.json"));

            assertThat(response.get("statusCode").asInt()).isEqualTo(404);
            assertThat(api.log()).as("no SnapStart, no priming").doesNotContain("snapstart.primed");
        }
    }

    private static void copyZipWithout(Path from, Path to, String prefix) throws IOException {
        try (InputStream file = Files.newInputStream(from); ZipInputStream in = new ZipInputStream(file);
             OutputStream target = Files.newOutputStream(to); ZipOutputStream out = new ZipOutputStream(target)) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (!entry.getName().startsWith(prefix)) {
                    out.putNextEntry(new ZipEntry(entry.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        assertThat(Files.size(to)).as("the copy lacks something").isLessThan(Files.size(from));
    }
}
