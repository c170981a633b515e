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
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
 * What the emulators and the SDK's clients alone cost at a rate of jobs: the AWS calls one job makes on the local
 * runtime (as {@code ./jobway bench load} counts them), made by plain SDK clients against the embedded DynamoDB
 * Local and ElasticMQ, on the template's own tables and queues, with no function, event source or HTTP host of
 * Jobway's around them. Per job: the submit's {@code PutItem} and {@code SendMessage}; a long-polled receive, the
 * batch's visibility hold, the claim's {@code UpdateItem}, the completion's {@code PutItem} and the batch delete;
 * the jobs stream read every 25 ms, as the local stream source reads it while the table is written, and one
 * subscriber {@code Query} for each job and each tenant in a stream batch, as the notifier makes them. Not made:
 * the notifier's posts to WebSocket connections (Jobway's own host, not an emulator).
 *
 * <p>Usage: {@code ./jobway bench floor [RATE] [SECONDS] [WARM_UP_SECONDS]} (defaults 20, 60, 120). Prints the
 * process's CPU over the measured part, in cores: the floor under the runtime's CPU at the same rate.
 */
public final class CallFloorBench {
    private static final Duration STREAM_POLL = Duration.ofMillis(25);
    private static final String TENANT = "floor";

    public static void main(String[] args) throws Exception {
        double rate = args.length > 0 ? Double.parseDouble(args[0]) : 20;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int warmUp = args.length > 2 ? Integer.parseInt(args[2]) : 120;
        try (EmbeddedDynamo dynamo = EmbeddedDynamo.startInMemory(0);
             EmbeddedSqs sqs = EmbeddedSqs.startInMemory(0);
             DynamoDbClient dynamoClient = EmulatorClients.dynamo(dynamo.endpoint());
             DynamoDbStreamsClient streams = EmulatorClients.streams(dynamo.endpoint());
             SqsClient sqsClient = EmulatorClients.sqs(sqs.endpoint())) {
            ResourceRegistry resources = LocalResources.of(CfnTemplate.load(Path.of("template.yaml")), sqsClient,
                    dynamoClient).createAll();
            var jobs = resources.table("JobsTable");
            var calls = new Calls(dynamoClient, sqsClient, streams,
                    new DynamoJobStore(dynamoClient, jobs.name(), resources.table("IdempotencyTable").name()),
                    resources.queue("JobsQueue").url(), resources.table("ConnectionsTable").name());
            AtomicLong done = new AtomicLong();
            Thread.ofPlatform().daemon().name("floor-worker").start(() -> untilExit(() -> calls.work(done)));
            Thread.ofPlatform().daemon().name("floor-stream")
                    .start(() -> untilExit(() -> calls.readStream(jobs.streamArn().orElseThrow())));

            submit(calls, rate, Duration.ofSeconds(warmUp));
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long doneBefore = done.get();
            long cpuBefore = os.getProcessCpuTime();
            long wallBefore = System.nanoTime();
            submit(calls, rate, Duration.ofSeconds(seconds));
            double cores = (os.getProcessCpuTime() - cpuBefore) / (double) (System.nanoTime() - wallBefore);
            long jobsDone = done.get() - doneBefore;
            System.out.printf("the calls of %.0f jobs/s for %d s after a %d s warm-up: %d jobs done, %.2f cores"
                    + " (%.1f ms of CPU a job)%n", rate, seconds, warmUp, jobsDone, cores,
                    cores * seconds * 1000 / Math.max(1, jobsDone));
            stopping = true;
        }
    }

    private static volatile boolean stopping;

    /** Runs a loop of calls; once the bench stops the emulators, the call that fails ends it quietly. */
    private static void untilExit(Runnable loop) {
        try {
            loop.run();
        } catch (RuntimeException e) {
            if (!stopping) {
                throw e;
            }
        }
    }

    /** Submits {@code rate} jobs a second for {@code length}, each when it is due. */
    private static void submit(Calls calls, double rate, Duration length) {
        long start = System.nanoTime();
        long count = (long) (rate * length.toSeconds());
        for (long i = 0; i < count; i++) {
            long due = start + (long) (i * 1e9 / rate);
            LockSupport.parkNanos(due - System.nanoTime());
            calls.submit();
        }
    }

    private record Calls(DynamoDbClient dynamo, SqsClient sqs, DynamoDbStreamsClient streams, DynamoJobStore store,
                         String queueUrl, String connectionsTable) {
        void submit() {
            Job job = Job.submit(UUID.randomUUID().toString(), TENANT,
                    new JobSpec("echo", "{\"n\":1}", 3, 60, 0, null, null), Instant.now());
            store.create(job);
            sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(job.jobId()));
        }

        /** Receives as the worker's event source does, and runs each job's claim and completion. */
        void work(AtomicLong done) {
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
        void readStream(String streamArn) {
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
    }
}
