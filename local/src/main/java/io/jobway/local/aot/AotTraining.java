package io.jobway.local.aot;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.auth.ApiKeys;
import io.jobway.local.LocalRuntime;
import io.jobway.local.cli.JobWatcher;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The training run behind {@code ./jobway up}'s AOT cache (JDK 25+, {@code -XX:AOTCacheOutput}): what a start does
 * and what the first jobs do, so the cache holds those classes loaded and linked, and their method profiles.
 * It starts the runtime on free ports, once in memory and once on a scratch data directory (the default of
 * {@code ./jobway up}), submits jobs, follows one over the WebSocket API, and stops. It must not touch a runtime
 * the user may have running, so it binds nothing of theirs and writes no {@code .jobway/runtime.json}.
 */
public final class AotTraining {
    private static final int JOBS = 20;
    private static final Duration JOB_DEADLINE = Duration.ofSeconds(60);

    private AotTraining() {
    }

    public static void main(String[] args) {
        try {
            run(Path.of(args.length > 0 ? args[0] : "template.yaml"));
        } catch (Exception | Error e) {
            e.printStackTrace();
            System.exit(1); // the launcher then discards the cache
        }
        System.exit(0); // emulator threads that outlive close() must not delay the cache's dump
    }

    /** Runs Jobway in memory, then on a scratch data directory; fails if a training job does not succeed. */
    public static void run(Path template) throws IOException, InterruptedException {
        Path dataDir = Files.createTempDirectory("jobway-aot-training");
        try {
            train(LocalRuntime.Options.inMemory(template));
            train(LocalRuntime.Options.inMemory(template).withDataDir(dataDir));
        } finally {
            deleteTree(dataDir);
        }
    }

    private static void train(LocalRuntime.Options options) throws IOException, InterruptedException {
        try (LocalRuntime runtime = LocalRuntime.start(options)) {
            String key = new ApiKeys().generate();
            runtime.registerKey(key, "local", Set.of());
            var api = new JobWatcher.ApiClient(URI.create(runtime.baseUrl()), key, HttpClient.newHttpClient());
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                ids.add(api.submit("{\"type\":\"echo\",\"payload\":{\"n\":" + i + "}}").path("jobId").asText());
            }
            URI webSocket = runtime.webSocketUrl().orElseThrow();
            PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
            JsonNode followed = new JobWatcher(api, webSocket, quiet, false).watch(ids.getLast(), JOB_DEADLINE);
            if (!"succeeded".equals(followed.path("status").asText())) {
                throw new IllegalStateException("training job ended " + followed.path("status").asText());
            }
            for (String id : ids) {
                awaitSucceeded(api, id);
            }
        }
    }

    private static void awaitSucceeded(JobWatcher.ApiClient api, String id) throws IOException, InterruptedException {
        long end = System.nanoTime() + JOB_DEADLINE.toNanos();
        while (!"succeeded".equals(api.job(id).path("status").asText())) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("training job " + id + " did not succeed within " + JOB_DEADLINE);
            }
            Thread.sleep(50);
        }
    }

    /**
     * Deletes the scratch data directory. DynamoDB Local's SQLite may still be removing its -shm and -wal files as
     * the walk reaches them, so a file that is already gone is not an error (it failed the training once).
     */
    private static void deleteTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
