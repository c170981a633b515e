package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.json.Json;
import io.jobway.local.LocalRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * schemathesis (pinned, in .venv-schemathesis) fuzzes a runtime of its own from docs/openapi.yaml: every
 * operation, its examples, boundary values, random and wrong input, and the stateful links (create, then read,
 * cancel, delete). No answer may be a 5xx, or disagree with the document in status, content type or schema. Its
 * report stays in local/target/schemathesis. On the embedded emulators only: the other targets run the same code.
 */
class ApiFuzzE2ETest {
    static final Path VENV = ExternalEmulator.PROJECT.resolve(".venv-schemathesis");
    static final Path REPORTS = ExternalEmulator.PROJECT.resolve("local/target/schemathesis");
    private static final int MIN_REQUESTS = 1_000;
    private static LocalJobway jobway;
    /** Set once schemathesis has run in this JVM, for {@link DocumentedStatusesTest}. */
    static volatile boolean ran;

    @BeforeAll
    static void start() {
        assumeTrue(E2eTarget.current() == E2eTarget.EMBEDDED, "fuzzed on the embedded emulators");
        jobway = LocalJobway.start(LocalRuntime.Options.inMemory(LocalJobway.templatePath())
                .withStackName("jobway-fuzz"));
    }

    @AfterAll
    static void stop() {
        if (jobway != null) {
            jobway.close();
        }
    }

    @Test
    void schemathesis_finds_no_failure_in_a_thousand_requests_or_more() throws Exception {
        Path schemathesis = VENV.resolve("bin/schemathesis");
        assertThat(schemathesis).as("installed by ./jobway test from local/schemathesis-requirements.txt").exists();
        Files.createDirectories(REPORTS);
        Path har = REPORTS.resolve("requests.har");
        Path output = REPORTS.resolve("output.txt");
        Process run = new ProcessBuilder(List.of(schemathesis.toString(), "run", OpenApiDocumentTest.DOCUMENT.toString(),
                "--url", jobway.baseUrl(), "--header", "Authorization: Bearer " + LocalJobway.KEY_A,
                "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,"
                        + "response_schema_conformance",
                "--phases", "examples,coverage,fuzzing,stateful", "--max-examples", "30", "--seed", "20261203",
                "--workers", "2", "--request-timeout", "30", "--continue-on-failure", "--no-color",
                "--report", "junit,har", "--report-dir", REPORTS.toString(), "--report-har-path", har.toString()))
                .directory(REPORTS.toFile()) // its cache (.schemathesis) too stays in target
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean ended = run.waitFor(15, TimeUnit.MINUTES);
        if (!ended) {
            run.destroyForcibly();
        }
        String printed = Files.readString(output);
        ran = true;

        assertThat(ended).as("schemathesis ended within 15 minutes").isTrue();
        assertThat(run.exitValue()).as(printed).isZero();
        JsonNode entries = Json.parse(Files.readString(har)).path("log").path("entries");
        System.out.println("schemathesis: " + entries.size() + " requests, 0 failures (report in " + REPORTS + ")");
        assertThat(entries.size()).as("requests sent").isGreaterThanOrEqualTo(MIN_REQUESTS);
    }
}
