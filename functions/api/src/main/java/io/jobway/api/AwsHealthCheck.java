package io.jobway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobway.json.Json;
import io.jobway.obs.Version;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Probes the jobs table and queue with one cheap call each. The health route needs no key, so results are
 * cached for a few seconds: a flood of health checks cannot become a flood of AWS calls.
 */
final class AwsHealthCheck implements HealthCheck {
    private static final Duration CACHE_FOR = Duration.ofSeconds(10);

    private final DynamoDbClient dynamo;
    private final SqsClient sqs;
    private final String jobsTable;
    private final String queueUrl;
    private final Clock clock;
    /**
     * One probe at a time (the others wait for its result). A lock, not {@code synchronized}: the probes are
     * network calls, and the local runtime serves the route on virtual threads, which Java 21 would pin.
     */
    private final ReentrantLock lock = new ReentrantLock();
    private Instant checkedAt = Instant.MIN;
    private ObjectNode lastReport;
    private boolean lastOk;

    AwsHealthCheck(DynamoDbClient dynamo, SqsClient sqs, String jobsTable, String queueUrl, Clock clock) {
        this.dynamo = dynamo;
        this.sqs = sqs;
        this.jobsTable = jobsTable;
        this.queueUrl = queueUrl;
        this.clock = clock;
    }

    @Override
    public boolean ok() {
        lock.lock();
        try {
            refresh();
            return lastOk;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public ObjectNode report() {
        lock.lock();
        try {
            refresh();
            return lastReport.deepCopy();
        } finally {
            lock.unlock();
        }
    }

    private void refresh() {
        Instant now = clock.instant();
        if (lastReport != null && now.isBefore(checkedAt.plus(CACHE_FOR))) {
            return;
        }
        ObjectNode report = Json.object();
        ObjectNode dependencies = Json.object();
        boolean tableOk = probe(dependencies, "jobsTable", () -> dynamo.getItem(b -> b.tableName(jobsTable)
                .key(Map.of("jobId", AttributeValue.fromS("health-check")))));
        boolean queueOk = probe(dependencies, "jobsQueue", () -> sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)));
        lastOk = tableOk && queueOk;
        report.put("status", lastOk ? "ok" : "degraded");
        report.put("version", Version.current());
        report.put("checkedAt", now.toString());
        report.set("dependencies", dependencies);
        lastReport = report;
        checkedAt = now;
    }

    private static boolean probe(ObjectNode into, String name, Runnable call) {
        long start = System.nanoTime();
        ObjectNode node = into.putObject(name);
        try {
            call.run();
            node.put("status", "ok");
            return true;
        } catch (RuntimeException e) {
            node.put("status", "error");
            node.put("error", e.getClass().getSimpleName());
            return false;
        } finally {
            node.put("latencyMs", (System.nanoTime() - start) / 1_000_000);
        }
    }
}
