package io.jobway.bench;

import io.jobway.job.Job;
import io.jobway.job.JobSpec;
import io.jobway.local.emulator.EmbeddedDynamo;
import io.jobway.local.emulator.EmbeddedSqs;
import io.jobway.local.emulator.EmulatorClients;
import io.jobway.local.emulator.LocalResources;
import io.jobway.local.emulator.ResourceRegistry;
import io.jobway.local.template.CfnTemplate;
import io.jobway.store.ClaimResult;
import io.jobway.store.DynamoJobStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The AWS calls one job makes on the local runtime (as {@code ./jobway bench load} counts them), made by plain SDK
 * clients against fresh embedded emulators (DynamoDB Local, ElasticMQ) holding the template's tables and queues,
 * with no function, event source or HTTP host of Jobway's around them. Per job: the submit's {@code PutItem} and
 * {@code SendMessage}; a long-polled receive, the batch's visibility hold, the claim's {@code UpdateItem}, the
 * completion's {@code PutItem} and the batch delete; the jobs stream read every 25 ms, as the local stream source
 * reads it while the table is written, and one subscriber {@code Query} for each job and each tenant in a stream
 * batch, as the notifier makes them. Not made: the notifier's posts to WebSocket connections (Jobway's own host).
 */
final class JobCalls implements AutoCloseable {
    private static final Duration STREAM_POLL = Duration.ofMillis(25);
    private static final String TENANT = "floor";

    private final EmbeddedDynamo dynamoServer = EmbeddedDynamo.startInMemory(0);
    private final EmbeddedSqs sqsServer = EmbeddedSqs.startInMemory(0);
    private final DynamoDbClient dynamo = EmulatorClients.dynamo(dynamoServer.endpoint());
    private final DynamoDbStreamsClient streams = EmulatorClients.streams(dynamoServer.endpoint());
    private final SqsClient sqs = EmulatorClients.sqs(sqsServer.endpoint());
    private final DynamoJobStore store;
    private final String queueUrl;
    private final String connectionsTable;
    private final String streamArn;
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong submitted = new AtomicLong();
    private final List<Thread> loops = new ArrayList<>();
    private volatile boolean stopping;

    JobCalls() {
        ResourceRegistry resources = LocalResources.of(CfnTemplate.load(Path.of("template.yaml")), sqs, dynamo)
                .createAll();
        var jobs = resources.table("JobsTable");
        store = new DynamoJobStore(dynamo, jobs.name(), resources.table("IdempotencyTable").name());
        queueUrl = resources.queue("JobsQueue").url();
        connectionsTable = resources.table("ConnectionsTable").name();
        streamArn = jobs.streamArn().orElseThrow();
    }

    /** Starts {@code workers} receivers (as event source pollers) and the stream reader. */
    JobCalls startConsumers(int workers) {
        for (int i = 0; i < workers; i++) {
            loop("calls-worker-" + i, this::work);
        }
        loop("calls-stream", this::readStream);
        return this;
    }

    /** Jobs whose completion has been written. */
    long done() {
        return done.get();
    }

    /** Submits {@code rate} jobs a second for {@code length}, each when it is due, from this thread. */
    void submitAt(double rate, Duration length) {
        long start = System.nanoTime();
        long count = (long) (rate * length.toSeconds());
        for (long i = 0; i < count; i++) {
            long due = start + (long) (i * 1e9 / rate);
            LockSupport.parkNanos(due - System.nanoTime());
            submit();
        }
    }

    /**
     * The most jobs a second these calls carry here: {@code submitters} threads submit as fast as they are
     * answered while the consumers work, and completions are counted over {@code measure} after {@code warmUp}.
     * The submitters run a little ahead so the queue never runs dry.
     */
    double saturatedJobsPerSecond(int submitters, Duration warmUp, Duration measure) throws InterruptedException {
        for (int i = 0; i < submitters; i++) {
            loop("calls-submitter-" + i, () -> {
                while (!stopping) {
                    if (submittedAhead() < 2_000) {
                        submit();
                    } else {
                        LockSupport.parkNanos(1_000_000);
                    }
                }
            });
        }
        Thread.sleep(warmUp);
        long before = done.get();
        long start = System.nanoTime();
        Thread.sleep(measure);
        return (done.get() - before) * 1e9 / (System.nanoTime() - start);
    }

    private long submittedAhead() {
        return submitted.get() - done.get();
    }

    void submit() {
        Job job = Job.submit(UUID.randomUUID().toString(), TENANT,
                new JobSpec("echo", "{\"n\":1}", 3, 60, 0, null, null), Instant.now());
        store.create(job);
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(job.jobId()));
        submitted.incrementAndGet();
    }

    /** Receives as the worker's event source does, and runs each job's claim and completion. */
    private void work() {
        while (!stopping) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(20)).messages();
            if (batch.isEmpty()) {
                continue;
            }
            sqs.changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl).entries(batch.stream()
                    .map(m -> ChangeMessageVisibilityBatchRequestEntry.builder().id(m.messageId())
                            .receiptHandle(m.receiptHandle()).visibilityTimeout(120).build()).toList()));
            for (Message message : batch) {
                var claim = store.claim(message.body(), UUID.randomUUID().toString(), Instant.now(),
                        Duration.ofMinutes(2));
                if (claim instanceof ClaimResult.Claimed claimed) {
                    store.save(claimed.job(), claimed.job().succeed("{}", Instant.now(), Duration.ofDays(7)));
                    done.incrementAndGet();
                }
            }
            sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(batch.stream()
                    .map(m -> DeleteMessageBatchRequestEntry.builder().id(m.messageId())
                            .receiptHandle(m.receiptHandle()).build()).toList()));
        }
    }

    /** Reads the jobs stream's shard every 25 ms and looks up each batch's subscribers, as the notifier does. */
    private void readStream() {
        String shard = streams.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards().get(0)
                .shardId();
        String iterator = streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shard)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        while (!stopping && iterator != null) {
            String current = iterator;
            var response = streams.getRecords(b -> b.shardIterator(current));
            iterator = response.nextShardIterator();
            Set<String> subscriptions = new HashSet<>();
            response.records().forEach(r -> {
                subscriptions.add("sub#" + TENANT + "#job#" + r.dynamodb().keys().get("jobId").s());
                subscriptions.add("sub#" + TENANT + "#all");
            });
            for (String pk : subscriptions) {
                dynamo.query(b -> b.tableName(connectionsTable).keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk))));
            }
            LockSupport.parkNanos(STREAM_POLL.toNanos());
        }
    }

    /** A loop of calls on a daemon thread; once stopping, the call that fails ends it quietly. */
    private void loop(String name, Runnable body) {
        loops.add(Thread.ofPlatform().daemon().name(name).start(() -> {
            try {
                body.run();
            } catch (RuntimeException e) {
                if (!stopping) {
                    throw e;
                }
            }
        }));
    }

    @Override
    public void close() {
        stopping = true;
        sqs.close();
        streams.close();
        dynamo.close();
        sqsServer.close();
        dynamoServer.close();
    }
}
