package io.jobway.local.e2e;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * LocalStack on this machine, started exactly as a person starts it: {@code ./jobway localstack}, on a free port,
 * its log in local/target. Ready when the launcher prints its endpoint.
 */
final class HostLocalStack extends ExternalEmulator {
    private static final Pattern READY = Pattern.compile("LocalStack is ready at (http://127\\.0\\.0\\.1:\\d+)");

    private HostLocalStack(Process process, URI endpoint, Instant started) {
        super("localstack", process, endpoint, started);
    }

    static HostLocalStack start() {
        Instant started = Instant.now();
        try {
            Process process = new ProcessBuilder(List.of(PROJECT.resolve("jobway").toString(), "localstack",
                    "--port", "0", "--log", "local/target/localstack.log"))
                    .directory(PROJECT.toFile())
                    .redirectErrorStream(true)
                    .start();
            BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            StringBuilder seen = new StringBuilder();
            String line;
            while ((line = output.readLine()) != null) {
                seen.append(line).append('\n');
                Matcher ready = READY.matcher(line);
                if (ready.find()) {
                    HostLocalStack localStack = new HostLocalStack(process, URI.create(ready.group(1)), started);
                    drain(output);
                    return localStack;
                }
            }
            process.waitFor();
            throw new IllegalStateException("./jobway localstack exited (" + process.exitValue()
                    + ") before it was ready:\n" + seen);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot run ./jobway localstack", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting LocalStack", e);
        }
    }

    /** Keeps reading the launcher's output so it never blocks on a full pipe; it goes to the test's log. */
    private static void drain(BufferedReader output) {
        Thread.ofPlatform().daemon().name("localstack-output").start(() -> {
            try {
                String line;
                while ((line = output.readLine()) != null) {
                    System.err.println("localstack: " + line);
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
    }
}
