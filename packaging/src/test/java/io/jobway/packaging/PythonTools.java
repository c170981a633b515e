package io.jobway.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Python tools that {@code ./jobway test} installs into the project's {@code .venv} from
 * requirements-test.txt (sam, cfn-lint), offline and without AWS credentials: region us-east-1, fake keys, no
 * telemetry, and a HOME of its own under target/ so neither the user's AWS profile nor SAM's weekly version
 * check (a request to PyPI) comes into play.
 */
final class PythonTools {
    static final Path VENV = Repo.ROOT.resolve(".venv");
    /** checkov's own environment (packaging/checkov-requirements.txt): its boto3 pin conflicts with moto's. */
    static final Path CHECKOV_VENV = Repo.ROOT.resolve(".venv-checkov");
    private static final Path HOME = Repo.TARGET.resolve("tool-home");
    private static final long TIMEOUT_SECONDS = 300;

    private PythonTools() {
    }

    /** Runs {@code .venv/bin/<tool> args...} in the repository root. */
    static ToolRun run(String tool, String... args) {
        return runIn(VENV, tool, args);
    }

    /** Runs {@code <venv>/bin/<tool> args...} in the repository root. */
    static ToolRun runIn(Path venv, String tool, String... args) {
        Path executable = venv.resolve("bin").resolve(tool);
        if (!Files.isExecutable(executable)) {
            throw new IllegalStateException(executable + " is missing: the packaging tests need the virtual environment"
                    + " " + venv + ". Run ./jobway test: it creates " + VENV + " from requirements-test.txt and "
                    + CHECKOV_VENV + " from packaging/checkov-requirements.txt");
        }
        var command = new ArrayList<String>();
        command.add(executable.toString());
        command.addAll(List.of(args));
        try {
            prepareHome();
            Path log = Files.createTempFile(Repo.TARGET, tool + "-", ".log");
            var builder = new ProcessBuilder(command).directory(Repo.ROOT.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            var env = builder.environment();
            env.put("HOME", HOME.toString());
            env.put("AWS_REGION", "us-east-1");
            env.put("AWS_DEFAULT_REGION", "us-east-1");
            env.put("AWS_ACCESS_KEY_ID", "jobway-offline");
            env.put("AWS_SECRET_ACCESS_KEY", "jobway-offline");
            env.remove("AWS_SESSION_TOKEN");
            env.remove("AWS_PROFILE");
            env.put("AWS_EC2_METADATA_DISABLED", "true");
            env.put("SAM_CLI_TELEMETRY", "0");
            long start = System.nanoTime();
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS
                        + " s; its output so far:\n" + Files.readString(log));
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Files.delete(log);
            return new ToolRun(command, process.exitValue(), output, millis);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    /** SAM keeps its settings in ~/.aws-sam: telemetry off, and the version check marked as just done. */
    private static void prepareHome() throws IOException {
        Path metadata = HOME.resolve(".aws-sam").resolve("metadata.json");
        Files.createDirectories(metadata.getParent());
        Files.writeString(metadata, "{\"telemetryEnabled\": false, \"lastVersionCheck\": "
                + Instant.now().getEpochSecond() + "}\n");
    }
}
