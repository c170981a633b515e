package io.jobway.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code jobway up --data-dir DIR} as its own process, started the way the launcher starts it (the local module's
 * class path, the same JVM options), on fixed ports so a restart answers where the first run did. Its output goes
 * to a log file per run.
 */
final class JobwayProcess {
    /** The checkout: the working directory under ./jobway, its parent under Maven (which runs in bench/). */
    private static final Path ROOT = (Files.exists(Path.of("template.yaml")) ? Path.of(".") : Path.of(".."))
            .toAbsolutePath().normalize();

    private final Path dataDir;
    private final String apiKey;
    private final int[] ports;
    private final List<Path> logs = new ArrayList<>();
    private final java.util.Map<String, String> environment;
    private final List<String> upArguments;
    private Process process;

    JobwayProcess(Path dataDir, String apiKey) throws IOException {
        this(dataDir, apiKey, java.util.Map.of(), List.of());
    }

    /** With more environment (JOBWAY_FAULTS, say) and more arguments for {@code jobway up}. */
    JobwayProcess(Path dataDir, String apiKey, java.util.Map<String, String> environment, List<String> upArguments)
            throws IOException {
        this.dataDir = dataDir;
        this.apiKey = apiKey;
        this.environment = java.util.Map.copyOf(environment);
        this.upArguments = List.copyOf(upArguments);
        this.ports = new int[] {freePort(), freePort(), freePort(), freePort()};
    }

    /** The embedded ElasticMQ's endpoint, for messages sent past the API (poison, duplicates). */
    URI sqsEndpoint() {
        return URI.create("http://127.0.0.1:" + ports[2]);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + ports[0];
    }

    /** Every run's output, in order. */
    List<Path> logs() {
        return List.copyOf(logs);
    }

    /** Starts a run and returns once {@code /v1/health} answers 200. */
    void start() throws IOException, InterruptedException {
        Path log = dataDir.resolveSibling(dataDir.getFileName() + "-run-" + (logs.size() + 1) + ".log");
        logs.add(log);
        List<String> command = jobwayCommand("up", "--data-dir", dataDir.toString(), "--port",
                Integer.toString(ports[0]));
        command.addAll(upArguments);
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("JOBWAY_LOCAL_API_KEY", apiKey);
        builder.environment().put("JOBWAY_WS_PORT", Integer.toString(ports[1]));
        builder.environment().put("JOBWAY_SQS_PORT", Integer.toString(ports[2]));
        builder.environment().put("JOBWAY_DYNAMODB_PORT", Integer.toString(ports[3]));
        builder.environment().putAll(environment);
        process = builder.start();
        awaitHealthy(Duration.ofSeconds(90));
    }

    /** {@code jobway keys create --tenant TENANT --admin} against the running runtime: the new key. */
    String createAdminKey(String tenant) throws IOException, InterruptedException {
        Process keys = new ProcessBuilder(jobwayCommand("keys", "create", "--tenant", tenant, "--admin", "--data-dir",
                dataDir.toString())).directory(ROOT.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String key = new String(keys.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        if (keys.waitFor() != 0 || !key.startsWith("jw_")) {
            throw new IllegalStateException("jobway keys create failed: " + key);
        }
        return key;
    }

    /** The launcher's java command for {@code io.jobway.local.Jobway} with these arguments. */
    private static List<String> jobwayCommand(String... arguments) throws IOException {
        String classPath = ROOT.resolve("local/target/classes") + ":"
                + Files.readString(ROOT.resolve("local/target/classpath.txt")).trim();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-Xmx1g",
                "-Dsqlite4java.library.path=" + ROOT.resolve("local/target/native")));
        if (Runtime.version().feature() >= 23) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-cp", classPath, "io.jobway.local.Jobway"));
        command.addAll(List.of(arguments));
        return command;
    }

    /** SIGKILL: the process ends at once, with no shutdown hook. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: the runtime's shutdown hook stops it cleanly; returns when it has exited. */
    void terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            Path dump = dataDir.resolveSibling("threads-at-stop.txt");
            try {
                Path jcmd = Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jcmd");
                new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "Thread.print")
                        .redirectOutput(dump.toFile()).redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
            } catch (IOException e) {
                // the dump is a diagnosis only
            }
            process.destroyForcibly();
            throw new IllegalStateException("jobway did not stop within 90 s of SIGTERM; its threads: " + dump);
        }
    }

    private void awaitHealthy(Duration patience) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(patience);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("jobway exited with " + process.exitValue() + " while starting; see "
                        + logs.get(logs.size() - 1));
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/v1/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("jobway was not healthy within " + patience);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
