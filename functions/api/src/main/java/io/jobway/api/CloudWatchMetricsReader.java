package io.jobway.api;

import io.jobway.obs.MetricsReader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.DimensionFilter;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.RecentlyActive;

/**
 * The functions' metrics read back from CloudWatch: one {@code GetMetricData} for all the series of a window
 * (SampleCount, Sum and three percentiles each, over one period as long as the window), {@code ListMetrics} for
 * the job types seen. CloudWatch aligns periods to its own clock, so "the last hour" is the hour-long periods it
 * returns for it, summed (and the percentiles of the fullest).
 */
public final class CloudWatchMetricsReader implements MetricsReader {
    /** SampleCount and Sum, then the percentiles Summary holds, in its order. */
    private static final List<String> STATS = List.of("SampleCount", "Sum", "p50", "p95", "p99");

    private final Supplier<CloudWatchClient> build;
    private CloudWatchClient client;
    private final String namespace;
    private final Clock clock;
    private final List<String> stats;

    /** {@code build} makes the client on the first read: no other route's cold start pays for it. */
    public CloudWatchMetricsReader(Supplier<CloudWatchClient> build, String namespace, Clock clock) {
        this(build, namespace, clock, true);
    }

    /**
     * Without {@code percentiles}, counts and sums only (the percentiles are null): for a CloudWatch that computes
     * none, as LocalStack's does not.
     */
    public CloudWatchMetricsReader(Supplier<CloudWatchClient> build, String namespace, Clock clock,
                                   boolean percentiles) {
        this.build = build;
        this.namespace = namespace;
        this.clock = clock;
        this.stats = percentiles ? STATS : STATS.subList(0, 2);
    }

    private synchronized CloudWatchClient cloudWatch() {
        if (client == null) {
            client = build.get();
        }
        return client;
    }

    @Override
    public Map<Series, Summary> summaries(List<Series> series, Duration window) {
        List<MetricDataQuery> queries = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            for (int s = 0; s < stats.size(); s++) {
                queries.add(query("s" + i + "_" + s, series.get(i), stats.get(s), window));
            }
        }
        Map<String, MetricDataResult> results = read(queries, window);
        Map<Series, Summary> out = new LinkedHashMap<>();
        for (int i = 0; i < series.size(); i++) {
            String id = "s" + i + "_";
            MetricDataResult counts = results.get(id + 0);
            long count = counts == null ? 0 : Math.round(counts.values().stream().mapToDouble(Double::doubleValue).sum());
            if (count == 0) {
                out.put(series.get(i), Summary.NONE);
                continue;
            }
            int fullest = fullest(counts);
            double sum = results.get(id + 1).values().stream().mapToDouble(Double::doubleValue).sum();
            out.put(series.get(i), new Summary(count, sum, at(results.get(id + 2), counts, fullest),
                    at(results.get(id + 3), counts, fullest), at(results.get(id + 4), counts, fullest)));
        }
        return out;
    }

    @Override
    public List<String> values(String metric, String dimension, Duration window) {
        return cloudWatch().listMetricsPaginator(b -> b.namespace(namespace).metricName(metric)
                        .dimensions(DimensionFilter.builder().name(dimension).build())
                        .recentlyActive(RecentlyActive.PT3_H)).metrics().stream()
                .filter(m -> m.dimensions().size() == 1)
                .map(m -> m.dimensions().get(0).value()).distinct().sorted().toList();
    }

    @Override
    public Optional<Instant> lastSeen(List<Series> series, Duration window) {
        List<MetricDataQuery> queries = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            queries.add(query("seen" + i, series.get(i), "SampleCount", Duration.ofMinutes(1)));
        }
        // a minute's period ends at most a minute after its start; the one in progress ends now
        return read(queries, window).values().stream().flatMap(r -> r.timestamps().stream()).max(Instant::compareTo)
                .map(start -> start.plusSeconds(60).isAfter(clock.instant()) ? clock.instant() : start.plusSeconds(60));
    }

    private MetricDataQuery query(String id, Series series, String stat, Duration period) {
        return MetricDataQuery.builder().id(id).returnData(true).metricStat(m -> m
                .metric(Metric.builder().namespace(namespace).metricName(series.metric())
                        .dimensions(Dimension.builder().name(series.dimension()).value(series.value()).build()).build())
                .period((int) Math.max(60, period.toSeconds())).stat(stat)).build();
    }

    /** Every query's result by id, across GetMetricData's pages (500 queries a call at most). */
    private Map<String, MetricDataResult> read(List<MetricDataQuery> queries, Duration window) {
        Map<String, MetricDataResult> results = new HashMap<>();
        Instant end = clock.instant();
        Instant start = end.minus(window);
        for (int from = 0; from < queries.size(); from += 500) {
            List<MetricDataQuery> page = queries.subList(from, Math.min(queries.size(), from + 500));
            for (GetMetricDataResponse response : cloudWatch().getMetricDataPaginator(b -> b
                    .metricDataQueries(page).startTime(start).endTime(end))) {
                response.metricDataResults().forEach(r -> results.merge(r.id(), r, CloudWatchMetricsReader::join));
            }
        }
        return results;
    }

    private static MetricDataResult join(MetricDataResult a, MetricDataResult b) {
        List<Instant> timestamps = new ArrayList<>(a.timestamps());
        timestamps.addAll(b.timestamps());
        List<Double> values = new ArrayList<>(a.values());
        values.addAll(b.values());
        return a.toBuilder().timestamps(timestamps).values(values).build();
    }

    /** The index of the period with the most values: its percentiles stand for the window's. */
    private static int fullest(MetricDataResult counts) {
        int best = 0;
        for (int i = 1; i < counts.values().size(); i++) {
            if (counts.values().get(i) > counts.values().get(best)) {
                best = i;
            }
        }
        return best;
    }

    /** The statistic of the period that {@code counts} has at {@code index}, matched by its timestamp. */
    private static Double at(MetricDataResult stat, MetricDataResult counts, int index) {
        if (stat == null || counts.timestamps().size() <= index) {
            return null;
        }
        int i = stat.timestamps().indexOf(counts.timestamps().get(index));
        return i < 0 ? null : stat.values().get(i);
    }
}
