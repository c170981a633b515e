package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jobway.local.LocalRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web dashboard the local runtime serves at /, in a real browser: dashboard/test/dashboard.spec.mjs drives
 * Debian's Chromium with Playwright (both installed by ./jobway test) through sign-in from the keyboard, a job
 * submitted and seen succeeded live, a filter, a job's detail, cancelling a running job and retrying it, phone
 * width, sign-out, and no console error. Its screenshots are kept in local/target/dashboard.
 */
class DashboardE2ETest {
    static final Path TESTS = ExternalEmulator.PROJECT.resolve("dashboard/test");
    static final Path SHOTS = ExternalEmulator.PROJECT.resolve("local/target/dashboard");
    private static LocalJobway jobway;

    @BeforeAll
    static void start() {
        assumeTrue(E2eTarget.current() == E2eTarget.EMBEDDED, "the browser runs against the embedded emulators");
        jobway = LocalJobway.start(LocalRuntime.Options.inMemory(LocalJobway.templatePath())
                .withStackName("jobway-dashboard"));
    }

    @AfterAll
    static void stop() {
        if (jobway != null) {
            jobway.close();
        }
    }

    @Test
    void the_dashboard_signs_in_follows_jobs_live_and_cancels_and_retries_in_chromium() throws Exception {
        assertThat(TESTS.resolve("node_modules/playwright-core")).as("installed by ./jobway test").exists();
        Files.createDirectories(SHOTS);
        Path output = SHOTS.resolve("output.txt");
        Process run = new ProcessBuilder(List.of("node", "dashboard.spec.mjs", jobway.baseUrl(), LocalJobway.KEY_A,
                SHOTS.toString())).directory(TESTS.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        assertThat(run.waitFor(3, TimeUnit.MINUTES)).as("the browser run ends").isTrue();

        assertThat(run.exitValue()).as(Files.readString(output)).isZero();
        assertThat(Files.readString(output)).contains("every check held");
        assertThat(List.of("jobs.png", "detail.png", "phone.png")).allSatisfy(shot ->
                assertThat(SHOTS.resolve(shot)).isNotEmptyFile());
    }
}
