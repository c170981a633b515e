package io.jobway.local.e2e;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * An emulator process started for one test JVM (moto, LocalStack) and stopped with it: its endpoint, and how it
 * is stopped (SIGTERM, then SIGKILL after a grace period).
 */
abstract class ExternalEmulator implements AutoCloseable {
    static final Path PROJECT = Path.of("..").toAbsolutePath().normalize();
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final String name;
    private final Process process;
    private final URI endpoint;
    private final Duration startTime;

    ExternalEmulator(String name, Process process, URI endpoint, Instant started) {
        this.name = name;
        this.process = process;
        this.endpoint = endpoint;
        this.startTime = Duration.between(started, Instant.now());
        System.err.printf("e2e: %s ready at %s in %d ms%n", name, endpoint, startTime.toMillis());
    }

    URI endpoint() {
        return endpoint;
    }

    Duration startTime() {
        return startTime;
    }

    @Override
    public void close() {
        process.destroy(); // SIGTERM: each stops its own children
        try {
            if (!process.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
                System.err.printf("e2e: %s did not stop in %s; killing it%n", name, STOP_GRACE);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port on 127.0.0.1", e);
        }
    }

    /** True once {@code url} answers HTTP at all. */
    static boolean answers(URI url) {
        try {
            HttpURLConnection connection = (HttpURLConnection) url.toURL().openConnection();
            connection.setConnectTimeout(500);
            connection.setReadTimeout(2000);
            int status = connection.getResponseCode();
            connection.disconnect();
            return status > 0;
        } catch (IOException e) {
            return false;
        }
    }
}
