package io.jobway.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobway.local.aot.ArchivableClassPath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./jobway build} always builds and then marks the build done where later commands look, and writes the
 * class path {@code ./jobway up} runs with: a copy of the launcher, run in a scratch folder with a Maven that only
 * records that it ran (and so no template for the start-up cache's training, which must then not fail the build).
 */
class LauncherBuildTest {
    @TempDir
    Path root;

    @Test
    void build_runs_maven_and_stamps_the_local_runtimes_classpath_file_and_nothing_outside_the_project()
            throws Exception {
        Files.copy(Repo.ROOT.resolve("jobway"), root.resolve("jobway"));
        Files.createDirectories(root.resolve("local/target"));
        Path localClasses = Path.of(ArchivableClassPath.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path stamp = Files.writeString(root.resolve("local/target/classpath.txt"), localClasses.toString());
        Path localJar = Files.createFile(root.resolve("local/target/jobway-local-0.1.0-SNAPSHOT.jar"));
        Files.setLastModifiedTime(stamp, java.nio.file.attribute.FileTime.fromMillis(0));
        Path bin = Files.createDirectories(root.resolve("bin"));
        Path mvn = Files.writeString(bin.resolve("mvn"), "#!/bin/sh\necho \"$@\" >> \"" + root.resolve("mvn.log")
                + "\"\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
        boolean outsideBefore = Files.exists(Path.of("/nonexistent"));

        var launcher = new ProcessBuilder("bash", root.resolve("jobway").toString(), "build")
                .directory(root.toFile()).redirectErrorStream(true);
        launcher.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        launcher.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = launcher.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(Files.readString(root.resolve("mvn.log"))).contains("package");
        assertThat(Files.getLastModifiedTime(stamp).toMillis()).as("the stamp later commands compare with")
                .isPositive();
        assertThat(Files.readString(root.resolve("local/target/run-classpath.txt")))
                .as("the local runtime's jar first, then its dependencies")
                .isEqualTo(localJar.toAbsolutePath() + ":" + localClasses);
        if (!outsideBefore) {
            assertThat(Path.of("/nonexistent")).as("nothing written outside the project").doesNotExist();
        }
    }
}
