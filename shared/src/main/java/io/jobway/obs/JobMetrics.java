package io.jobway.obs;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import software.amazon.cloudwatchlogs.emf.environment.Environment;
import software.amazon.cloudwatchlogs.emf.environment.EnvironmentProvider;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.cloudwatchlogs.emf.sinks.ISink;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.internal.EmfMetricsLogger;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Jobway's CloudWatch metrics, written in Embedded Metric Format by Powertools for AWS Lambda through its plain API:
 * each event is one EMF document, flushed at once in a context of its own ({@link Metrics#flushMetrics}), so that
 * concurrent invocations (and the local runtime's functions, which share a JVM) never mix their metrics.
 *
 * <p>Two dimension sets, as Powertools writes a default dimension beside an added one: {@code [Service]} (the
 * function: api, worker, sweeper, notifier, webhook), each function's totals, and {@code [JobType]}, each type's
 * across functions. No tenant: a deployment's tenants are unbounded, and each dimension value is a custom metric
 * CloudWatch bills.
 *
 * <p>Each function's instance is built here rather than through {@code MetricsFactory}, whose one instance per JVM
 * would give every function of the local runtime the same {@code Service}.
 */
public final class JobMetrics {
    public static final String NAMESPACE = "Jobway";
    public static final String SERVICE = "Service";
    public static final String JOB_TYPE = "JobType";

    public static final String SUBMITTED = "JobsSubmitted";
    /** Attempts claimed; a claim over the job's limits is given back at once and counts JobsDeferred too. */
    public static final String STARTED = "JobsStarted";
    public static final String SUCCEEDED = "JobsSucceeded";
    public static final String RETRIED = "JobsRetried";
    public static final String DEFERRED = "JobsDeferred";
    public static final String DEAD = "JobsDead";
    public static final String CANCELLED = "JobsCancelled";
    /** From the time a job could start (submitted, due, or its retry's time) to its attempt's start. */
    public static final String QUEUE_WAIT = "QueueWait";
    /** One attempt, start to its outcome. */
    public static final String RUN_TIME = "RunTime";
    /** Submit to the end: succeeded, dead or cancelled. */
    public static final String END_TO_END = "EndToEnd";
    public static final String WEBHOOKS_DELIVERED = "WebhookDeliveries";
    public static final String WEBHOOK_FAILURES = "WebhookFailures";
    /** The age of a job's change (its {@code updatedAt}) when the notifier handled its stream record. */
    public static final String NOTIFIER_LAG = "NotifierLag";

    /** Every metric a function emits, for the template's dashboard and alarms to be held to. */
    public static final Map<String, MetricUnit> ALL = Map.ofEntries(
            Map.entry(SUBMITTED, MetricUnit.COUNT), Map.entry(STARTED, MetricUnit.COUNT),
            Map.entry(SUCCEEDED, MetricUnit.COUNT), Map.entry(RETRIED, MetricUnit.COUNT),
            Map.entry(DEFERRED, MetricUnit.COUNT), Map.entry(DEAD, MetricUnit.COUNT),
            Map.entry(CANCELLED, MetricUnit.COUNT), Map.entry(QUEUE_WAIT, MetricUnit.MILLISECONDS),
            Map.entry(RUN_TIME, MetricUnit.MILLISECONDS), Map.entry(END_TO_END, MetricUnit.MILLISECONDS),
            Map.entry(WEBHOOKS_DELIVERED, MetricUnit.COUNT), Map.entry(WEBHOOK_FAILURES, MetricUnit.COUNT),
            Map.entry(NOTIFIER_LAG, MetricUnit.MILLISECONDS));

    /** Emits nothing: tests and code paths built without a function around them. */
    public static final JobMetrics NONE = new JobMetrics(null);

    private final Metrics metrics;

    private JobMetrics(Metrics metrics) {
        this.metrics = metrics;
    }

    /** On Lambda: EMF on stdout, which CloudWatch Logs turns into metrics (the library finds the environment). */
    public static JobMetrics forLambda(String namespace, String service) {
        return of(new EnvironmentProvider(), namespace, service);
    }

    /** Each document to {@code sink}: the local runtime's own store, or nowhere while SnapStart primes. */
    public static JobMetrics to(Consumer<MetricsContext> sink, String namespace, String service) {
        return of(new FixedEnvironment(sink), namespace, service);
    }

    private static JobMetrics of(EnvironmentProvider environment, String namespace, String service) {
        Metrics metrics = new EmfMetricsLogger(environment, new MetricsContext());
        metrics.setNamespace(namespace);
        metrics.setDefaultDimensions(DimensionSet.of(SERVICE, service));
        return new JobMetrics(metrics);
    }

    /** One event of a job of {@code jobType}: counts of 1 and timings in milliseconds, in one document. */
    public void emit(String jobType, Map<String, Double> values) {
        if (metrics == null || values.isEmpty()) {
            return;
        }
        try {
            metrics.flushMetrics(m -> {
                if (jobType != null) {
                    m.addDimension(DimensionSet.of(JOB_TYPE, jobType));
                }
                values.forEach((name, value) -> m.addMetric(name, value, ALL.getOrDefault(name, MetricUnit.NONE)));
            });
        } catch (RuntimeException e) {
            // a metric is never worth a job: the event is in the log line beside it
            Log.warn("metrics.emit-failed", "metrics", values.keySet(), "error", e.toString());
        }
    }

    public void count(String jobType, String metric) {
        emit(jobType, Map.of(metric, 1.0));
    }

    /** An environment that is resolved already: one sink, no probing of Lambda, ECS, EC2 or an agent. */
    private static final class FixedEnvironment extends EnvironmentProvider implements Environment, ISink {
        private final Consumer<MetricsContext> sink;

        FixedEnvironment(Consumer<MetricsContext> sink) {
            this.sink = sink;
        }

        @Override
        public CompletableFuture<Environment> resolveEnvironment() {
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public boolean probe() {
            return true;
        }

        @Override
        public String getName() {
            return "jobway";
        }

        @Override
        public String getType() {
            return "jobway";
        }

        @Override
        public String getLogGroupName() {
            return "";
        }

        @Override
        public void configureContext(MetricsContext context) {
            // nothing to add: no log group or stream here
        }

        @Override
        public ISink getSink() {
            return this;
        }

        @Override
        public void accept(MetricsContext context) {
            sink.accept(context);
        }

        @Override
        public CompletableFuture<Void> shutdown() {
            return CompletableFuture.completedFuture(null);
        }
    }
}
