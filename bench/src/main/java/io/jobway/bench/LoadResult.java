package io.jobway.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobway.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** One {@code ./jobway bench load} run's figures, written as JSON for the chart and for docs/BENCHMARKS.md. */
record LoadResult(String at, String arguments, double rate, int seconds, int batch, int connections,
                  Map<Integer, Long> statuses, int accepted, int succeeded, double throughput, double cores,
                  long startMillis, long rssIdleMib, long rssPeakMib, List<Long> submitMs, List<Long> queueWaitMs,
                  List<Long> endToEndMs, List<Long> realtimeMs, Map<String, Long> calls, List<CostModel.Line> cost,
                  Double ceilingJobsPerSecond, BullMqPeer.Result peer) {

    static void write(Path file, LoadResult r) throws IOException {
        ObjectNode root = Json.object().put("at", r.at()).put("commit", commit()).put("arguments", r.arguments())
                .put("rate", r.rate())
                .put("seconds", r.seconds()).put("batch", r.batch()).put("connections", r.connections())
                .put("accepted", r.accepted()).put("succeeded", r.succeeded()).put("throughput", r.throughput())
                .put("cores", r.cores()).put("startMillis", r.startMillis()).put("rssIdleMib", r.rssIdleMib())
                .put("rssPeakMib", r.rssPeakMib()).put("ceilingJobsPerSecond", r.ceilingJobsPerSecond())
                .put("machine", Runtime.getRuntime().availableProcessors() + " cores, "
                        + Math.round(osMemoryGib()) + " GiB");
        ObjectNode statuses = root.putObject("statuses");
        r.statuses().forEach((status, n) -> statuses.put(Integer.toString(status), n));
        latencies(root.putObject("latencyMs"), Map.of("submit", r.submitMs(), "queueWait", r.queueWaitMs(),
                "endToEnd", r.endToEndMs(), "realtime", r.realtimeMs()));
        ObjectNode calls = root.putObject("callsPerJob");
        r.calls().forEach((call, n) -> calls.put(call, n / (double) Math.max(1, r.accepted())));
        ArrayNode cost = root.putArray("dollarsPerMillionJobs");
        r.cost().forEach(line -> cost.addObject().put("item", line.item()).put("assumption", line.assumption())
                .put("dollars", line.dollarsPerMillion()));
        root.put("dollarsPerMillionJobsTotal", CostModel.total(r.cost()));
        if (r.peer() != null) {
            ObjectNode peer = root.putObject("peer").put("name", "BullMQ 6.7.0 + Redis 7.0")
                    .put("accepted", r.peer().accepted()).put("succeeded", r.peer().succeeded())
                    .put("throughput", r.peer().throughput());
            latencies(peer.putObject("latencyMs"), Map.of("submit", r.peer().submitMs(),
                    "queueWait", r.peer().queueWaitMs(), "endToEnd", r.peer().endToEndMs()));
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, Json.write(root));
    }

    /** Each series as its sorted samples' percentiles 1 to 100 (the chart draws them) and its count. */
    private static void latencies(ObjectNode into, Map<String, List<Long>> series) {
        series.forEach((name, values) -> {
            ObjectNode node = into.putObject(name);
            node.put("n", values.size());
            ArrayNode percentiles = node.putArray("percentiles");
            if (!values.isEmpty()) {
                List<Long> sorted = values.stream().sorted().toList();
                for (int p = 1; p <= 100; p++) {
                    percentiles.add(RealtimeLatencyBench.percentile(sorted, p));
                }
            }
        });
    }

    /** The checkout's commit, with "+changes" when its work tree differs; "unknown" outside git. */
    private static String commit() {
        try {
            String head = run("git", "rev-parse", "--short", "HEAD");
            return run("git", "status", "--porcelain", "--untracked-files=no").isEmpty() ? head : head + "+changes";
        } catch (IOException | InterruptedException e) {
            return "unknown";
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + ": " + out);
        }
        return out;
    }

    private static double osMemoryGib() {
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        return os.getTotalMemorySize() / (1024.0 * 1024 * 1024);
    }
}
