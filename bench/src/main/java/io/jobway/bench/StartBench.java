package io.jobway.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How long {@code ./jobway up} takes from launch until {@code /v1/health} answers 200, as a user sees it: the
 * launcher, the JVM, the emulators and the runtime. Each run starts the built launcher on free ports, in memory or
 * on a fresh data directory, and stops it with SIGTERM, as Ctrl-C does.
 * Usage: {@code ./jobway bench start [RUNS] [--in-memory]}.
 */
public final class StartBench {
    private static final Duration GIVE_UP = Duration.ofSeconds(60);

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 && !args[0].startsWith("--") ? Integer.parseInt(args[0]) : 5;
        boolean inMemory = List.of(args).contains("--in-memory");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
        List<Long> healthy = new ArrayList<>();
        List<Long> stopped = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            Path dataDir = Files.createTempDirectory("jobway-start-bench");
            int[] ports = freePorts(4);
            int port = ports[0];
            List<String> command = new ArrayList<>(List.of("./jobway", "up", "--port", String.valueOf(port)));
            command.addAll(inMemory ? List.of("--in-memory") : List.of("--data-dir", dataDir.toString()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dataDir.resolve("up.log").toFile());
            builder.environment().putAll(Map.of("JOBWAY_WS_PORT", String.valueOf(ports[1]),
                    "JOBWAY_SQS_PORT", String.valueOf(ports[2]), "JOBWAY_DYNAMODB_PORT", String.valueOf(ports[3])));
            long launched = System.nanoTime();
            Process process = builder.start();
            try {
                awaitHealthy(http, port, process);
                healthy.add((System.nanoTime() - launched) / 1_000_000);
                long stopping = System.nanoTime();
                process.destroy(); // SIGTERM: the launcher exec'd the JVM, so this reaches it
                process.waitFor();
                stopped.add((System.nanoTime() - stopping) / 1_000_000);
                System.out.printf("run %d: healthy after %d ms, stopped %d ms after SIGTERM%n", run + 1,
                        healthy.getLast(), stopped.getLast());
            } finally {
                process.destroyForcibly();
            }
        }
        System.out.println(RealtimeLatencyBench.summary("launch -> healthy", healthy));
        System.out.println(RealtimeLatencyBench.summary("SIGTERM -> exited", stopped));
    }

    /** Ports free now, from the system's ephemeral range, so that no run meets the last one's sockets. */
    private static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    private static void awaitHealthy(HttpClient http, int port, Process process) throws Exception {
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/health"))
                .timeout(Duration.ofSeconds(1)).build();
        long end = System.nanoTime() + GIVE_UP.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException("./jobway up exited with " + process.exitValue() + " before it was healthy");
            }
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("./jobway up was not healthy within " + GIVE_UP.toSeconds() + " s");
    }
}
