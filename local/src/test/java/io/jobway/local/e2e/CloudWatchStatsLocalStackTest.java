package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobway.api.CloudWatchMetricsReader;
import io.jobway.local.emulator.AwsEndpoints;
import io.jobway.obs.JobMetrics;
import io.jobway.obs.MetricsReader.Series;
import io.jobway.obs.MetricsReader.Summary;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/**
 * GET /v1/stats' reader on AWS, against LocalStack's CloudWatch (GetMetricData and ListMetrics as the SDK sends
 * them, in the Smithy RPC v2 CBOR protocol SDK 2.41 uses for CloudWatch, which moto 5.2.5 does not speak):
 * datapoints of a namespace of its own, then the counts, sums and series the stats are made of. Percentiles are
 * CloudWatch's own arithmetic, which LocalStack lacks, so not read here (MetricsE2ETest checks the local store's).
 */
@EnabledIfSystemProperty(named = E2eTarget.PROPERTY, matches = "(?i)localstack",
        disabledReason = "reads LocalStack's CloudWatch (the e2e-localstack execution)")
class CloudWatchStatsLocalStackTest {
    private static final String NAMESPACE = "JobwayStatsTest";
    private static final Duration HOUR = Duration.ofHours(1);
    private static CloudWatchClient cloudWatch;
    private static CloudWatchMetricsReader reader;

    @BeforeAll
    static void putDatapoints() {
        cloudWatch = CloudWatchClient.builder().endpointOverride(LocalJobway.emulatorEndpoint())
                .region(Region.US_EAST_1).credentialsProvider(
                        software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                                AwsEndpoints.EXTERNAL_CREDENTIALS)).build();
        // LocalStack's GetMetricData computes no percentile (it fails on p50): counts and sums only
        reader = new CloudWatchMetricsReader(() -> cloudWatch, NAMESPACE, Clock.systemUTC(), false);
        Instant at = Instant.now().minusSeconds(30);
        cloudWatch.putMetricData(b -> b.namespace(NAMESPACE).metricData(
                datum(JobMetrics.SUCCEEDED, "JobType", "echo", 1, StandardUnit.COUNT, at),
                datum(JobMetrics.SUCCEEDED, "JobType", "echo", 1, StandardUnit.COUNT, at),
                datum(JobMetrics.SUCCEEDED, "JobType", "echo", 1, StandardUnit.COUNT, at),
                datum(JobMetrics.SUCCEEDED, "JobType", "fail", 1, StandardUnit.COUNT, at),
                datum(JobMetrics.QUEUE_WAIT, "Service", "worker", 100, StandardUnit.MILLISECONDS, at),
                datum(JobMetrics.QUEUE_WAIT, "Service", "worker", 500, StandardUnit.MILLISECONDS, at)));
    }

    @AfterAll
    static void close() {
        if (cloudWatch != null) {
            cloudWatch.close();
        }
    }

    private static MetricDatum datum(String metric, String dimension, String value, double v, StandardUnit unit,
                                     Instant at) {
        return MetricDatum.builder().metricName(metric).dimensions(Dimension.builder().name(dimension).value(value)
                .build()).value(v).unit(unit).timestamp(at).build();
    }

    @Test
    void counts_and_sums_of_each_series_over_the_window() {
        Series echo = new Series(JobMetrics.SUCCEEDED, "JobType", "echo");
        Series wait = new Series(JobMetrics.QUEUE_WAIT, "Service", "worker");
        Series none = new Series(JobMetrics.DEAD, "JobType", "echo");

        Map<Series, Summary> read = reader.summaries(List.of(echo, wait, none), HOUR);

        assertThat(read.get(echo).count()).isEqualTo(3);
        assertThat(read.get(echo).sum()).isEqualTo(3.0);
        assertThat(read.get(wait).count()).isEqualTo(2);
        assertThat(read.get(wait).sum()).isEqualTo(600.0);
        assertThat(read.get(none)).isEqualTo(Summary.NONE);
    }

    @Test
    void the_job_types_seen_and_when_a_series_last_had_a_value() {
        assertThat(reader.values(JobMetrics.SUCCEEDED, "JobType", HOUR)).containsExactly("echo", "fail");
        assertThat(reader.lastSeen(List.of(new Series(JobMetrics.QUEUE_WAIT, "Service", "worker")), HOUR)).get()
                .satisfies(seen -> assertThat(seen).isBetween(Instant.now().minusSeconds(120), Instant.now()));
        assertThat(reader.lastSeen(List.of(new Series(JobMetrics.DEAD, "JobType", "echo"),
                new Series(JobMetrics.DEAD, "JobType", "sleep")), HOUR)).isEmpty();
    }
}
