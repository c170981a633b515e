package io.jobway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobway.events.HttpApiRequest;
import io.jobway.events.HttpApiResponse;
import io.jobway.json.Json;
import io.jobway.obs.JobMetrics;
import io.jobway.obs.MetricsReader;
import io.jobway.obs.MetricsReader.Series;
import io.jobway.obs.MetricsReader.Summary;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * {@code GET /v1/stats} (admin): the deployment at a glance, from the same metrics the functions emit (read back
 * through {@link MetricsReader}: CloudWatch on AWS, the local runtime's store locally) and the queues' own
 * depths. The figures are the deployment's, all tenants together, as CloudWatch's are: metrics carry no tenant.
 */
final class StatsApi {
    static final Duration MINUTE = Duration.ofMinutes(1);
    static final Duration HOUR = Duration.ofHours(1);
    /** The counters of a window, by the name the answer gives them. */
    private static final Map<String, String> COUNTERS = counters();

    /** One queue's depth as SQS reports it. */
    record Depth(String queue, long visible, long inFlight, long delayed) {
    }

    /** The queues to report, each with its role (normal, high, low, dead-letter, webhook-dead-letter). */
    interface Queues {
        List<Depth> depths();
    }

    private final MetricsReader metrics;
    private final Queues queues;
    private final Clock clock;

    StatsApi(MetricsReader metrics, Queues queues, Clock clock) {
        this.metrics = metrics;
        this.queues = queues;
        this.clock = clock;
    }

    HttpApiResponse stats(HttpApiRequest request) {
        request.queryParameters().keySet().stream().findFirst().ifPresent(name -> {
            throw ApiProblem.invalid(name, "unknown query parameter; GET /v1/stats takes none");
        });
        List<String> types = Stream.of(JobMetrics.SUBMITTED, JobMetrics.STARTED)
                .flatMap(metric -> metrics.values(metric, JobMetrics.JOB_TYPE, HOUR).stream())
                .distinct().sorted().toList();
        ObjectNode body = Json.object();
        body.put("generatedAt", clock.instant().toString());
        List<Depth> depths = queues.depths();
        var queueList = body.putArray("queues");
        depths.forEach(d -> queueList.addObject().put("queue", d.queue()).put("visible", d.visible())
                .put("inFlight", d.inFlight()).put("delayed", d.delayed()));
        body.set("lastMinute", window(types, MINUTE));
        body.set("lastHour", window(types, HOUR));
        ObjectNode workers = body.putObject("workers");
        workers.put("inFlight", depths.stream().filter(d -> !d.queue().contains("dead-letter"))
                .mapToLong(Depth::inFlight).sum());
        // a worker reports when it claims a job and when an attempt ends
        Optional<Instant> heartbeat = metrics.lastSeen(List.of(worker(JobMetrics.STARTED),
                worker(JobMetrics.RUN_TIME)), HOUR);
        workers.put("lastHeartbeatAt", heartbeat.map(Instant::toString).orElse(null));
        return HttpApiResponse.json(200, body);
    }

    /** One window: the jobs' counts and times, and each type's counts and error rate. */
    private ObjectNode window(List<String> types, Duration window) {
        List<Series> wanted = new ArrayList<>();
        for (String type : types) {
            COUNTERS.values().forEach(metric -> wanted.add(new Series(metric, JobMetrics.JOB_TYPE, type)));
        }
        List<Series> times = List.of(worker(JobMetrics.QUEUE_WAIT), worker(JobMetrics.RUN_TIME),
                worker(JobMetrics.END_TO_END));
        wanted.addAll(times);
        Map<Series, Summary> read = metrics.summaries(wanted, window);
        ObjectNode out = Json.object();
        out.put("seconds", window.toSeconds());
        ObjectNode jobs = out.putObject("jobs");
        ObjectNode byType = Json.object();
        COUNTERS.forEach((name, metric) -> jobs.put(name, 0));
        for (String type : types) {
            ObjectNode typeNode = byType.putObject(type);
            COUNTERS.forEach((name, metric) -> {
                long count = count(read, new Series(metric, JobMetrics.JOB_TYPE, type));
                typeNode.put(name, count);
                jobs.put(name, jobs.get(name).asLong() + count);
            });
            typeNode.put("errorRate", errorRate(typeNode));
        }
        out.put("throughputPerSecond", jobs.get("succeeded").asDouble() / window.toSeconds());
        out.put("errorRate", errorRate(jobs));
        out.set("queueWaitMs", percentiles(read.get(times.get(0))));
        out.set("runTimeMs", percentiles(read.get(times.get(1))));
        out.set("endToEndMs", percentiles(read.get(times.get(2))));
        out.set("byType", byType);
        return out;
    }

    /** Of the attempts that ended: the share that failed (retried or dead); 0 when none ended. */
    private static double errorRate(ObjectNode counts) {
        long failed = counts.get("retried").asLong() + counts.get("dead").asLong();
        long ended = failed + counts.get("succeeded").asLong();
        return ended == 0 ? 0 : (double) failed / ended;
    }

    private static ObjectNode percentiles(Summary summary) {
        Summary s = summary == null ? Summary.NONE : summary;
        ObjectNode node = Json.object();
        node.put("count", s.count());
        put(node, "p50", s.p50());
        put(node, "p95", s.p95());
        put(node, "p99", s.p99());
        return node;
    }

    private static void put(ObjectNode node, String name, Double value) {
        if (value == null) {
            node.putNull(name);
        } else {
            node.put(name, Math.round(value * 10) / 10.0);
        }
    }

    private static long count(Map<Series, Summary> read, Series series) {
        Summary summary = read.get(series);
        return summary == null ? 0 : Math.round(summary.sum());
    }

    private static Series worker(String metric) {
        return new Series(metric, JobMetrics.SERVICE, "worker");
    }

    private static Map<String, String> counters() {
        Map<String, String> counters = new LinkedHashMap<>();
        counters.put("submitted", JobMetrics.SUBMITTED);
        counters.put("started", JobMetrics.STARTED);
        counters.put("succeeded", JobMetrics.SUCCEEDED);
        counters.put("retried", JobMetrics.RETRIED);
        counters.put("deferred", JobMetrics.DEFERRED);
        counters.put("dead", JobMetrics.DEAD);
        counters.put("cancelled", JobMetrics.CANCELLED);
        return counters;
    }

    /** The queues' depths from SQS's GetQueueAttributes (the numbers CloudWatch's SQS graphs are made of). */
    static Queues sqs(software.amazon.awssdk.services.sqs.SqsClient sqs, Map<String, String> urlsByQueue) {
        return () -> urlsByQueue.entrySet().stream().map(e -> {
            Map<String, String> a = sqs.getQueueAttributes(b -> b.queueUrl(e.getValue()).attributeNamesWithStrings(
                    "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                    "ApproximateNumberOfMessagesDelayed")).attributesAsStrings();
            Function<String, Long> n = name -> Long.parseLong(a.getOrDefault(name, "0"));
            return new Depth(e.getKey(), n.apply("ApproximateNumberOfMessages"),
                    n.apply("ApproximateNumberOfMessagesNotVisible"), n.apply("ApproximateNumberOfMessagesDelayed"));
        }).toList();
    }
}
