package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.json.Json;

import io.jobway.local.LocalRuntime;
import io.jobway.local.metrics.LocalMetrics;
import io.jobway.obs.MetricsReader.Series;
import io.jobway.obs.MetricsReader.Summary;
import io.jobway.obs.JobMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A known workload, and the metrics the functions emitted for it as EMF documents (read back as CloudWatch would
 * read them): each job counted once by the function that moved it, its wait, run and end-to-end times, the
 * notifier's lag, and each function's totals under its own Service.
 */
class MetricsE2ETest {
    private static final Duration HOUR = Duration.ofHours(1);
    private static LocalJobway jobway;
    private static LocalMetrics metrics;
    private static WebhookReceiver receiver;

    @BeforeAll
    static void runAKnownWorkload() {
        jobway = LocalJobway.start(LocalRuntime.Options.inMemory(LocalJobway.templatePath())
                .withStackName("jobway-metrics").withParameters(Map.of("RetryBaseSeconds", "1",
                        "WebhookRetryBaseSeconds", "1")));
        metrics = jobway.local("metrics are read from the runtime's own store").metrics();
        assertThat(jobway.post("/v1/webhook-secrets", LocalJobway.KEY_A, null).status()).isEqualTo(201);
        receiver = new WebhookReceiver(1); // answers 500 once, then 200
        String withCallback = jobway.submit("{\"type\":\"echo\",\"payload\":{},\"callbackUrl\":\""
                + receiver.url() + "\"}");
        List<String> echoes = IntStream.range(0, 5)
                .mapToObj(i -> jobway.submit("{\"type\":\"echo\",\"payload\":{\"n\":" + i + "}}")).toList();
        String failsOnce = jobway.submit("{\"type\":\"fail\",\"payload\":{\"times\":1}}");
        String failsAlways = jobway.submit("{\"type\":\"fail\",\"payload\":{\"times\":-1},\"maxAttempts\":2}");
        String cancelled = jobway.submit("{\"type\":\"echo\",\"payload\":{},\"delaySeconds\":600}");
        jobway.post("/v1/jobs/" + cancelled + "/cancel", LocalJobway.KEY_A, null);
        // one sleep at a time for this key: the second waits (a deferral) while the first runs until cancelled
        assertThat(jobway.put("/v1/limits/sleep?rateKey=metrics", LocalJobway.KEY_A, "{\"maxRunning\":1}").status())
                .isEqualTo(200);
        String running = jobway.submit("{\"type\":\"sleep\",\"payload\":{\"ms\":20000},\"rateKey\":\"metrics\"}");
        jobway.awaitStatus(running, "running", Duration.ofSeconds(30));
        String waiting = jobway.submit("{\"type\":\"sleep\",\"payload\":{\"ms\":10},\"rateKey\":\"metrics\"}");
        awaitCount(JobMetrics.DEFERRED, "JobType", "sleep", 1);
        jobway.post("/v1/jobs/" + running + "/cancel", LocalJobway.KEY_A, null);
        jobway.awaitStatus(running, "cancelled", Duration.ofSeconds(30));
        jobway.awaitStatus(waiting, "succeeded", Duration.ofSeconds(30));
        echoes.forEach(id -> jobway.awaitStatus(id, "succeeded", Duration.ofSeconds(30)));
        jobway.awaitStatus(withCallback, "succeeded", Duration.ofSeconds(30));
        jobway.awaitStatus(failsOnce, "succeeded", Duration.ofSeconds(30));
        jobway.awaitStatus(failsAlways, "dead", Duration.ofSeconds(30));
        // a status is readable a moment before the function that wrote it has emitted its metrics
        awaitCount(JobMetrics.DEAD, "JobType", "fail", 1);
        awaitCount(JobMetrics.SUCCEEDED, "Service", "worker", 8);
        awaitCount(JobMetrics.WEBHOOKS_DELIVERED, "Service", "webhook", 1);
    }

    @AfterAll
    static void stop() {
        if (receiver != null) {
            receiver.close();
        }
        if (jobway != null) {
            jobway.close();
        }
    }

    @Test
    void each_function_counts_the_changes_it_made_under_its_own_service() {
        assertThat(count(JobMetrics.SUBMITTED, "Service", "api")).isEqualTo(11);
        assertThat(count(JobMetrics.CANCELLED, "Service", "api")).as("a delayed job cancelled by the API").isEqualTo(1);
        assertThat(count(JobMetrics.SUCCEEDED, "Service", "worker")).isEqualTo(8);
        assertThat(count(JobMetrics.CANCELLED, "Service", "worker")).as("the running sleep").isEqualTo(1);
        assertThat(count(JobMetrics.DEFERRED, "Service", "worker")).as("the sleep over its limit")
                .isGreaterThanOrEqualTo(1);
        assertThat(count(JobMetrics.STARTED, "Service", "worker")).as("6 echoes, 2 + 2 fail attempts, 2 sleeps and "
                + "each deferred start").isEqualTo(12 + count(JobMetrics.DEFERRED, "Service", "worker"));
        assertThat(count(JobMetrics.RETRIED, "Service", "worker")).isEqualTo(2);
        assertThat(count(JobMetrics.DEAD, "Service", "worker")).isEqualTo(1);
        assertThat(metrics.values(JobMetrics.SUBMITTED, "Service", HOUR)).containsExactly("api");
    }

    @Test
    void each_job_type_has_its_counts_and_its_times() {
        assertThat(count(JobMetrics.SUCCEEDED, "JobType", "echo")).isEqualTo(6);
        assertThat(count(JobMetrics.SUCCEEDED, "JobType", "fail")).isEqualTo(1);
        Summary wait = metrics.summary(new Series(JobMetrics.QUEUE_WAIT, "JobType", "echo"), HOUR);
        Summary run = metrics.summary(new Series(JobMetrics.RUN_TIME, "JobType", "fail"), HOUR);
        Summary endToEnd = metrics.summary(new Series(JobMetrics.END_TO_END, "JobType", "fail"), HOUR);

        assertThat(wait.count()).isEqualTo(6);
        assertThat(wait.p50()).isBetween(0.0, 30_000.0);
        assertThat(run.count()).as("every attempt of a fail job: 2 + 2").isEqualTo(4);
        assertThat(endToEnd.count()).as("one succeeded, one dead").isEqualTo(2);
        assertThat(endToEnd.p99()).as("the dead one waited out a retry's backoff").isGreaterThanOrEqualTo(1_000.0);
    }

    @Test
    void the_notifier_reports_how_old_each_change_was_when_it_handled_it() {
        Summary lag = metrics.summary(new Series(JobMetrics.NOTIFIER_LAG, "Service", "notifier"), HOUR);

        assertThat(lag.count()).as("a record for each change of each job").isGreaterThanOrEqualTo(8);
        assertThat(lag.p50()).isBetween(0.0, 10_000.0);
    }

    @Test
    void the_webhook_function_counts_each_delivery_and_each_failed_attempt() {
        assertThat(count(JobMetrics.WEBHOOKS_DELIVERED, "Service", "webhook")).isEqualTo(1);
        assertThat(count(JobMetrics.WEBHOOK_FAILURES, "Service", "webhook")).as("the receiver's one 500").isEqualTo(1);
    }

    /**
     * Every Jobway metric that template.yaml's dashboard or alarms read, under the dimension they read it with,
     * was emitted by some function in this workload: a renamed metric or a wrong Service leaves a graph empty.
     */
    @Test
    void every_jobway_metric_the_dashboard_and_the_alarms_read_was_emitted() {
        List<Series> read = TemplateMetrics.jobwaySeries(LocalJobway.templatePath());

        assertThat(read).as("the dashboard reads Jobway metrics").hasSizeGreaterThanOrEqualTo(10);
        assertThat(read).allSatisfy(series -> assertThat(series.value() == null
                ? metrics.values(series.metric(), series.dimension(), HOUR)
                : metrics.summary(series, HOUR).count() > 0 ? List.of(series.value()) : List.of())
                .as("%s emitted", series).isNotEmpty());
    }

    /** GET /v1/stats, made of the same metrics read back, and the queues' depths, for the workload above. */
    @Test
    void stats_give_the_workloads_counts_times_error_rates_queues_and_workers() {
        LocalJobway.Response response = jobway.get("/v1/stats", LocalJobway.KEY_A);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode stats = response.json();

        JsonNode hour = stats.get("lastHour");
        assertThat(hour.get("seconds").asInt()).isEqualTo(3600);
        assertThat(hour.get("jobs")).isEqualTo(Json.parse("{\"submitted\":11,\"started\":" + (12 + deferrals())
                + ",\"succeeded\":8,\"retried\":2,\"deferred\":" + deferrals() + ",\"dead\":1,\"cancelled\":2}"));
        assertThat(hour.get("byType").get("fail").get("errorRate").asDouble()).as("3 of 4 attempts failed")
                .isEqualTo(0.75);
        assertThat(hour.get("byType").get("echo").get("errorRate").asDouble()).isZero();
        assertThat(hour.get("errorRate").asDouble()).as("3 of 11 ended attempts").isCloseTo(3.0 / 11, within(1e-9));
        assertThat(hour.get("queueWaitMs").get("count").asLong()).isEqualTo(12 + deferrals());
        assertThat(hour.get("endToEndMs").get("count").asLong()).as("8 succeeded, 1 dead, 1 cancelled running")
                .isEqualTo(10);
        assertThat(hour.get("runTimeMs").get("p99").asDouble()).isGreaterThanOrEqualTo(hour.get("runTimeMs")
                .get("p50").asDouble());
        assertThat(stats.get("lastMinute").get("jobs").get("succeeded").asLong()).as("all within the minute")
                .isEqualTo(8);
        assertThat(stats.get("queues").findValuesAsText("queue"))
                .containsExactly("normal", "high", "low", "dead-letter", "webhook-dead-letter");
        JsonNode deadLetters = stats.get("queues").get(3);
        assertThat(deadLetters.get("visible").asLong() + deadLetters.get("inFlight").asLong())
                .as("the dead job's copy").isEqualTo(1);
        assertThat(Instant.parse(stats.get("workers").get("lastHeartbeatAt").asText()))
                .isBetween(Instant.now().minusSeconds(60), Instant.now());
    }

    @Test
    void stats_take_no_query_parameter() {
        LocalJobway.Response response = jobway.get("/v1/stats?window=1d", LocalJobway.KEY_A);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("errors").findValuesAsText("field")).containsExactly("window");
    }

    private static long deferrals() {
        return count(JobMetrics.DEFERRED, "Service", "worker");
    }

    private static long count(String metric, String dimension, String value) {
        return metrics.summary(new Series(metric, dimension, value), HOUR).count();
    }

    private static void awaitCount(String metric, String dimension, String value, long expected) {
        Instant end = Instant.now().plusSeconds(10);
        while (count(metric, dimension, value) < expected && Instant.now().isBefore(end)) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
