package io.jobway.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobway.local.template.CfnTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentReadsTest {
    @TempDir
    Path sources;

    @Test
    void the_real_worker_reads_its_variables_through_the_classes_it_uses() {
        var reads = EnvironmentReads.ofRepository().of("io.jobway.worker.WorkerFunction");

        assertThat(reads.required()).contains("JOBS_TABLE", "JOBS_QUEUE_URL", "DEAD_LETTER_QUEUE_URL", "JOB_TYPES",
                "RETRY_BASE_SECONDS", "RETRY_CAP_SECONDS", "WEBHOOK_SECRETS_TABLE", "AWS_REGION");
        assertThat(reads.all()).doesNotContain("API_KEYS_TABLE", "CONNECTIONS_TABLE");
    }

    @Test
    void a_variable_read_through_a_constant_or_a_literal_in_a_class_the_handler_uses_is_found() throws IOException {
        write("app/Config.java", """
                package app;
                public final class Config {
                    public static final String TABLE = "TABLE_NAME";
                    public String require(String name) { return System.getenv(name); }
                    public java.util.Optional<String> optional(String name) { return java.util.Optional.empty(); }
                }""");
        write("app/Handler.java", """
                package app;
                public final class Handler {
                    // comments do not count: require(Config.NOT_READ)
                    private final Store store = new Store(new Config());
                }""");
        write("app/Store.java", """
                package app;
                final class Store {
                    Store(Config config) {
                        config.require(Config.TABLE);
                        config.optional("DEBUG_LEVEL");
                        System.getenv("HOME_DIR");
                    }
                }""");
        write("app/Unused.java", """
                package app;
                final class Unused { Unused(Config c) { c.require("NEVER"); } }""");

        var reads = EnvironmentReads.scan(List.of(sources)).of("app.Handler");

        assertThat(reads.required()).containsExactlyInAnyOrder("TABLE_NAME", "HOME_DIR");
        assertThat(reads.optional()).containsExactly("DEBUG_LEVEL");
    }

    @Test
    void a_comment_marker_or_quote_inside_a_literal_and_a_long_literal_do_not_derail_the_scan() throws IOException {
        write("app/Handler.java", """
                package app;
                public final class Handler {
                    String url = "https://example.com/", quote = "\\"", apostrophe = "it's";
                    char q = '"';
                    String table = System.getenv("TABLE_NAME"); // "not a string
                    Store store = new Store();
                    String big = "%s";
                }""".formatted("x".repeat(50_000)));
        write("app/Store.java", """
                package app;
                final class Store { String region = System.getenv("AWS_REGION"); }""");

        var reads = EnvironmentReads.scan(List.of(sources)).of("app.Handler");

        assertThat(reads.required()).containsExactlyInAnyOrder("TABLE_NAME", "AWS_REGION");
    }

    @Test
    void an_undeclared_read_and_an_unused_declaration_are_both_reported() throws IOException {
        write("app/Handler.java", """
                package app;
                public final class Handler {
                    String table = System.getenv("TABLE_NAME");
                    String region = System.getenv("AWS_REGION");
                }""");
        var template = CfnTemplate.parse("""
                Globals:
                  Function:
                    Environment:
                      Variables:
                        JAVA_TOOL_OPTIONS: -XX:TieredStopAtLevel=1
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: app.Handler::handleRequest
                      Environment:
                        Variables:
                          LEFTOVER: x
                """, "snippet");

        assertThat(new TemplateRules(template).environment(EnvironmentReads.scan(List.of(sources)))).containsExactly(
                "Fn (app.Handler) reads TABLE_NAME, which the template does not declare for it",
                "Fn declares LEFTOVER, which app.Handler and the code it uses never read");
    }

    private void write(String path, String text) throws IOException {
        Path file = sources.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
