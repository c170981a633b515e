package io.jobway.lambda;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One Lambda execution environment: a fresh JVM of {@link LambdaJava} running a {@link FunctionPackage} under the
 * Runtime Interface Client, fed through its own {@link RuntimeApi}. The JVM gets only the environment Lambda
 * gives a function (the package's variables plus the ones Lambda reserves), with the unpacked code as its
 * working directory (the runtime's task root). Invocations are sequential, as in Lambda.
 */
public final class ExecutionEnvironment implements AutoCloseable {
    /** How Lambda starts the environment (AWS_LAMBDA_INITIALIZATION_TYPE). */
    public enum Init {
        ON_DEMAND("on-demand"),
        /** The runtime runs the CRaC beforeCheckpoint hooks, asks to be restored, then runs afterRestore. */
        SNAP_START("snap-start");

        private final String value;

        Init(String value) {
            this.value = value;
        }
    }

    /** What one invocation returned: the response, or the error the runtime reported. */
    public record Outcome(String body, String errorType) {
        public boolean ok() {
            return errorType == null;
        }
    }

    /** The function could not start, or stopped, or did not answer: with the runtime's report and its log. */
    public static final class FunctionFailed extends RuntimeException {
        FunctionFailed(String message) {
            super(message);
        }
    }

    private static final String ACCOUNT = "000000000000";
    private static final Duration START_ALLOWANCE = Duration.ofSeconds(30);

    private final FunctionPackage function;
    private final RuntimeApi api;
    private final TaskRoot taskRoot;
    private final Path log;
    private final Process process;
    private final long startedNanos;
    private final CompletableFuture<Long> firstResponse = new CompletableFuture<>();
    private final CompletableFuture<Duration> cpuAtFirstResponse = new CompletableFuture<>();

    private ExecutionEnvironment(FunctionPackage function, RuntimeApi api, TaskRoot taskRoot, Path log,
                                 Process process, long startedNanos) {
        this.function = function;
        this.api = api;
        this.taskRoot = taskRoot;
        this.log = log;
        this.process = process;
        this.startedNanos = startedNanos;
    }

    public static ExecutionEnvironment start(LambdaJava java, FunctionPackage function) {
        return start(java, function, Init.ON_DEMAND);
    }

    public static ExecutionEnvironment start(LambdaJava java, FunctionPackage function, Init init) {
        String region = function.environment().getOrDefault("AWS_REGION", "us-east-1");
        RuntimeApi api = RuntimeApi.start("arn:aws:lambda:" + region + ":" + ACCOUNT + ":function:" + function.name());
        TaskRoot taskRoot = null;
        try {
            taskRoot = TaskRoot.of(function.artifact());
            Path log = Files.createTempFile("lambda-" + function.name() + "-", ".log");
            var builder = new ProcessBuilder(java.command(function.memoryMb(), function.handler()))
                    .directory(taskRoot.dir().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().clear();
            builder.environment().putAll(environment(function, init, region, api, taskRoot, java));
            long started = System.nanoTime();
            return new ExecutionEnvironment(function, api, taskRoot, log, builder.start(), started);
        } catch (IOException | RuntimeException e) {
            api.close();
            if (taskRoot != null) {
                taskRoot.close();
            }
            throw new FunctionFailed("cannot start " + function.name() + ": " + e);
        }
    }

    /** The package's variables, then the ones Lambda reserves (a function cannot override those). */
    private static Map<String, String> environment(FunctionPackage function, Init init, String region,
                                                   RuntimeApi api, TaskRoot taskRoot, LambdaJava java) {
        var env = new HashMap<>(function.environment());
        env.put("_HANDLER", function.handler());
        env.put("AWS_LAMBDA_RUNTIME_API", api.address());
        env.put("LAMBDA_TASK_ROOT", taskRoot.dir().toString());
        env.put("LAMBDA_RUNTIME_DIR", java.runtimeDir().toString());
        env.put("AWS_REGION", region);
        env.put("AWS_DEFAULT_REGION", region);
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        env.put("AWS_LAMBDA_FUNCTION_NAME", function.name());
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memoryMb()));
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", init.value);
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + function.name());
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "lambda-it/" + function.name().toLowerCase(Locale.ROOT));
        env.put("TZ", ":UTC");
        env.put("LANG", "en_US.UTF-8");
        env.put("PATH", "/usr/local/bin:/usr/bin/:/bin");
        if (init == Init.SNAP_START) {
            // SnapStart functions get container credentials, not key variables (snapstart-activate.html)
            env.remove("AWS_ACCESS_KEY_ID");
            env.remove("AWS_SECRET_ACCESS_KEY");
            env.remove("AWS_SESSION_TOKEN");
            env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", api.credentialsUrl());
            env.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", RuntimeApi.CREDENTIALS_TOKEN);
        }
        return env;
    }

    /**
     * Sends one event (JSON, as the event source would) and waits for the answer, at most the function's timeout
     * (plus time to start, on the first one).
     *
     * @throws FunctionFailed when the runtime reports an init error, the JVM exits or nothing comes back in time
     */
    public Outcome invoke(String event) {
        CompletableFuture<RuntimeApi.Report> result = api.invoke(event, Duration.ofSeconds(function.timeoutSeconds()));
        Duration wait = Duration.ofSeconds(function.timeoutSeconds()).plus(START_ALLOWANCE);
        try {
            CompletableFuture.anyOf(result, api.initError(), process.onExit()).get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw failed("did not answer within " + wait.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw failed("failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed("interrupted while waiting for the answer");
        }
        if (result.isDone()) {
            RuntimeApi.Report report = result.join();
            if (firstResponse.complete(report.atNanos())) {
                cpuAtFirstResponse.complete(process.info().totalCpuDuration().orElse(Duration.ZERO));
            }
            return new Outcome(report.body(), report.errorType());
        }
        if (api.initError().isDone()) {
            RuntimeApi.Report error = api.initError().join();
            throw failed("reported an init error, " + error.errorType() + ": " + error.body());
        }
        throw failed("stopped (its JVM exited with " + process.exitValue() + ") before answering");
    }

    /** From the JVM's start to the runtime's first request for an invocation: the init. */
    public Duration init() {
        return since(api.firstNext());
    }

    /** From the JVM's start to the first response: what a caller waits on a cold start. */
    public Duration firstResponse() {
        return since(firstResponse);
    }

    /**
     * The CPU time the JVM had used (all its threads) when its first response was in: steadier than wall time on a
     * busy machine, and what Lambda's share of a vCPU (memory / 1,769 MB) has to pay for.
     */
    public Duration cpuAtFirstResponse() {
        if (!cpuAtFirstResponse.isDone()) {
            throw new IllegalStateException(function.name() + " has not answered yet");
        }
        return cpuAtFirstResponse.join();
    }

    /**
     * This harness's {@code System.nanoTime()} when it started the JVM. The JVM's {@code -Xlog} decorator
     * {@code timenanos} reads the same system-wide monotonic clock, so its lines can be placed on this timeline.
     */
    public long startedNanos() {
        return startedNanos;
    }

    /** SnapStart: from the JVM's start to the runtime asking to be restored (its init and priming done). */
    public Duration restore() {
        return since(api.restoreNext());
    }

    /** The times (from the JVM's start) the function fetched container credentials (SnapStart environments). */
    public List<Duration> credentialFetches() {
        return api.credentialRequests().stream().map(at -> Duration.ofNanos(at - startedNanos)).toList();
    }

    private Duration since(CompletableFuture<Long> event) {
        if (!event.isDone()) {
            throw new IllegalStateException(function.name() + ": that has not happened yet");
        }
        return Duration.ofNanos(event.join() - startedNanos);
    }

    /** Everything the function and the runtime wrote to stdout and stderr so far. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private FunctionFailed failed(String what) {
        List<String> lines = log().lines().toList();
        String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        return new FunctionFailed(function.name() + " (handler " + function.handler() + ") " + what
                + "\n--- its log (last 40 lines) ---\n" + tail);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            api.close();
            taskRoot.close();
            try {
                Files.deleteIfExists(log);
            } catch (IOException e) {
                // a leftover temp file is harmless
            }
        }
    }
}
