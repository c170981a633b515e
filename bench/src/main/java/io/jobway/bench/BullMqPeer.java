package io.jobway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.json.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The peer of {@code ./jobway bench load}: the same open-loop workload on BullMQ (bench/peer, pinned) with Redis
 * (Debian's redis-server) started here on a free loopback port, with its append-only file synced every second,
 * BullMQ's recommended durability (without it a crash loses every job Redis held). What an in-memory broker does
 * not do, and Jobway does, is keep a durable status record per job in a table: its figures are the cost of that.
 */
final class BullMqPeer {
    record Result(int accepted, int succeeded, double throughput, List<Long> submitMs, List<Long> queueWaitMs,
                  List<Long> endToEndMs, double nodeCpuSeconds) {
    }

    static Result run(double rate, int seconds, int concurrency) throws IOException, InterruptedException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path dir = Files.createTempDirectory("jobway-bench-redis");
        Process redis = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "yes", "--appendfsync", "everysec", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        try {
            awaitListening(port, Duration.ofSeconds(10));
            Process node = new ProcessBuilder("node", "bench/peer/bullmq-load.mjs", Integer.toString(port),
                    Double.toString(rate), Integer.toString(seconds), Integer.toString(concurrency))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!node.waitFor(5, TimeUnit.MINUTES) || node.exitValue() != 0) {
                throw new IllegalStateException("the BullMQ load failed (exit " + node.exitValue() + "): " + out);
            }
            JsonNode r = Json.parse(out.substring(out.lastIndexOf('\n') + 1));
            return new Result(r.get("accepted").asInt(), r.get("succeeded").asInt(), r.get("throughput").asDouble(),
                    longs(r.get("submitMs")), longs(r.get("queueWaitMs")), longs(r.get("endToEndMs")),
                    r.get("nodeCpuSeconds").asDouble());
        } finally {
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static List<Long> longs(JsonNode array) {
        List<Long> values = new ArrayList<>();
        array.forEach(n -> values.add(n.asLong()));
        return values;
    }

    private static void awaitListening(int port, Duration patience) throws InterruptedException {
        Instant deadline = Instant.now().plus(patience);
        while (Instant.now().isBefore(deadline)) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("redis-server did not listen on " + port + " within " + patience);
    }
}
