package io.jobway.obs;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads back the metrics {@link JobMetrics} wrote: from CloudWatch on AWS, from the local runtime's own store
 * locally. {@code GET /v1/stats} is made of these reads.
 */
public interface MetricsReader {
    /** One series: a metric under one dimension ({@code Service=worker}, or {@code JobType=echo}). */
    record Series(String metric, String dimension, String value) {
    }

    /** A window of a series: how many values, their sum, and their percentiles (null when none). */
    record Summary(long count, double sum, Double p50, Double p95, Double p99) {
        public static final Summary NONE = new Summary(0, 0, null, null, null);
    }

    /** Each series over the last {@code window}. */
    Map<Series, Summary> summaries(List<Series> series, Duration window);

    /**
     * The values {@code metric} was emitted with under {@code dimension}: those of the last {@code window} at least
     * (CloudWatch lists the last 3 hours' alone; a value without data in the window sums to nothing), sorted.
     */
    List<String> values(String metric, String dimension, Duration window);

    /** When any of {@code series} last had a value, within the last {@code window}. */
    Optional<Instant> lastSeen(List<Series> series, Duration window);
}
