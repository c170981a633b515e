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
 * submitted and seen succeeded live, a filter, a job's detail, cancelling a running job and retrying it, the
 * queues' depths and charts, dead jobs redriven one, a selection and all once their endpoint is mended, a
 * schedule's fire times and disabling it, phone width, sign-out, another tenant signed in seeing none of it, and no
 * console error. Its screenshots are kept in
 * local/target/dashboard.
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
    void the_vendored_chart_library_is_the_pinned_npm_packages_own_file() throws Exception {
        Path npm = TESTS.resolve("node_modules/uplot/dist");
        Path vendored = ExternalEmulator.PROJECT.resolve("dashboard/vendor/uplot-1.6.32");
        assertThat(Files.readString(TESTS.resolve("package.json"))).contains("\"uplot\": \"1.6.32\"");
        for (String file : List.of("uPlot.iife.min.js", "uPlot.min.css")) {
            assertThat(Files.mismatch(vendored.resolve(file), npm.resolve(file))).as(file).isEqualTo(-1L);
        }
        assertThat(Files.readString(vendored.resolve("uPlot.iife.min.js"))).startsWith("/*! https://github.com/leeoniya/uPlot (v1.6.32) */");
    }

    @Test
    void the_dashboard_follows_jobs_live_redrives_the_dlq_and_toggles_schedules_in_chromium() throws Exception {
        assertThat(TESTS.resolve("node_modules/playwright-core")).as("installed by ./jobway test").exists();
        Files.createDirectories(SHOTS);
        Path output = SHOTS.resolve("output.txt");
        Process run = new ProcessBuilder(List.of("node", "dashboard.spec.mjs", jobway.baseUrl(), LocalJobway.KEY_A,
                SHOTS.toString(), LocalJobway.KEY_B)).directory(TESTS.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        assertThat(run.waitFor(4, TimeUnit.MINUTES)).as("the browser run ends").isTrue();

        assertThat(run.exitValue()).as(Files.readString(output)).isZero();
        assertThat(Files.readString(output)).contains("every check held");
        assertThat(List.of("jobs.png", "detail.png", "queues.png", "dlq.png", "schedules.png", "phone.png")).allSatisfy(shot ->
                assertThat(SHOTS.resolve(shot)).isNotEmptyFile());
    }
}
