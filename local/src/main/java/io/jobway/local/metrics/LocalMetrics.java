package io.jobway.local.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.json.Json;
import io.jobway.obs.MetricsReader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;

/**
 * The local runtime's CloudWatch: it reads the Embedded Metric Format documents the functions emit (the same bytes
 * Lambda would write to CloudWatch Logs) and keeps, per metric and dimension value, one bucket every
 * {@link #BUCKET} for the last hour. A bucket counts every value and keeps a uniform sample of at most
 * {@link #SAMPLES} of them, from which percentiles are read (CloudWatch's own are estimates too).
 */
public final class LocalMetrics implements Consumer<MetricsContext>, MetricsReader {
    public static final Duration KEPT = Duration.ofHours(1);
    static final Duration BUCKET = Duration.ofSeconds(10);
    static final int SAMPLES = 2_048;

    private final Map<Series, Map<Long, Bucket>> series = new ConcurrentHashMap<>();
    private final Clock clock;

    public LocalMetrics(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void accept(MetricsContext context) {
        List<String> documents;
        try {
            documents = context.serialize();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an EMF document could not be serialized", e);
        }
        documents.forEach(this::read);
    }

    /** One EMF document: each metric it declares, under each dimension of each of its dimension sets. */
    void read(String document) {
        JsonNode doc = Json.parse(document);
        long at = doc.at("/_aws/Timestamp").asLong(clock.millis());
        for (JsonNode directive : doc.at("/_aws/CloudWatchMetrics")) {
            for (JsonNode metric : directive.path("Metrics")) {
                String name = metric.path("Name").asText();
                if (!doc.path(name).isNumber()) {
                    continue;
                }
                double value = doc.get(name).asDouble();
                for (JsonNode set : directive.path("Dimensions")) {
                    for (JsonNode dimension : set) {
                        String key = dimension.asText();
                        add(new Series(name, key, doc.path(key).asText()), at, value);
                    }
                }
            }
        }
    }

    private void add(Series key, long at, double value) {
        long bucket = at / BUCKET.toMillis();
        Map<Long, Bucket> buckets = series.computeIfAbsent(key, k -> new ConcurrentHashMap<>());
        buckets.computeIfAbsent(bucket, b -> new Bucket()).add(value, Instant.ofEpochMilli(at));
        long oldest = (clock.millis() - KEPT.toMillis()) / BUCKET.toMillis();
        buckets.keySet().removeIf(b -> b < oldest);
    }

    /** A series over the last {@code window}, to the nearest {@link #BUCKET}. */
    public Summary summary(Series key, Duration window) {
        long from = (clock.millis() - window.toMillis()) / BUCKET.toMillis();
        long count = 0;
        double sum = 0;
        List<Double> sample = new ArrayList<>();
        for (Map.Entry<Long, Bucket> bucket : series.getOrDefault(key, Map.of()).entrySet()) {
            if (bucket.getKey() > from) {
                synchronized (bucket.getValue()) {
                    count += bucket.getValue().count;
                    sum += bucket.getValue().sum;
                    sample.addAll(bucket.getValue().weighted());
                }
            }
        }
        if (count == 0) {
            return Summary.NONE;
        }
        sample.sort(null);
        return new Summary(count, sum, percentile(sample, 50), percentile(sample, 95), percentile(sample, 99));
    }

    @Override
    public Map<Series, Summary> summaries(List<Series> wanted, Duration window) {
        Map<Series, Summary> out = new LinkedHashMap<>();
        wanted.forEach(s -> out.put(s, summary(s, window)));
        return out;
    }

    @Override
    public List<String> values(String metric, String dimension, Duration window) {
        return series.keySet().stream().filter(s -> s.metric().equals(metric) && s.dimension().equals(dimension))
                .filter(s -> lastSeen(List.of(s), window).isPresent()).map(Series::value).sorted().toList();
    }

    @Override
    public Optional<Instant> lastSeen(List<Series> keys, Duration window) {
        long from = (clock.millis() - window.toMillis()) / BUCKET.toMillis();
        return keys.stream().flatMap(key -> series.getOrDefault(key, Map.of()).entrySet().stream())
                .filter(b -> b.getKey() > from).map(b -> b.getValue().last()).max(Instant::compareTo);
    }

    private static Double percentile(List<Double> sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    /** One bucket of one series: every value counted, a reservoir sample of them kept. */
    private static final class Bucket {
        private long count;
        private double sum;
        private Instant last = Instant.EPOCH;
        private final List<Double> kept = new ArrayList<>();

        synchronized Instant last() {
            return last;
        }

        synchronized void add(double value, Instant at) {
            last = at.isAfter(last) ? at : last;
            count++;
            sum += value;
            if (kept.size() < SAMPLES) {
                kept.add(value);
            } else {
                long slot = ThreadLocalRandom.current().nextLong(count);
                if (slot < SAMPLES) {
                    kept.set((int) slot, value);
                }
            }
        }

        /** The sample, each value repeated so a busy bucket weighs as much as its count in a longer window. */
        List<Double> weighted() {
            if (kept.size() == count) {
                return kept;
            }
            List<Double> out = new ArrayList<>();
            long copies = Math.max(1, Math.round((double) count / kept.size()));
            for (double v : kept) {
                for (long i = 0; i < copies; i++) {
                    out.add(v);
                }
            }
            return out;
        }
    }
}
