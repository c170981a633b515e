package io.jobway.local.sources;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobway.json.Json;
import io.jobway.local.lambda.LambdaEvents;
import io.jobway.local.lambda.LocalFunction;
import io.jobway.obs.Log;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A DynamoDB stream event source mapping as Lambda runs it: records of each shard in order, in batches; a
 * partial batch response retries from the first failed record; a failed invocation is split in two (bisect)
 * and retried up to the retry limit; what still fails is described in a message to the on-failure queue and
 * skipped, so one poison record never stops the shard.
 */
public final class StreamEventSource {
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    /** New shards appear rarely (a stream rolls shards over every few hours); looking costs a DescribeStream. */
    private static final Duration DISCOVERY_INTERVAL = Duration.ofSeconds(2);

    private final DynamoDbStreamsClient streams;
    private final SqsClient sqs;
    private final String streamArn;
    private final int batchSize;
    private final boolean bisectOnError;
    private final int maxRetryAttempts;
    private final String onFailureQueueUrl;
    private final LocalFunction function;
    private final Map<String, String> iterators = new HashMap<>();
    private final Set<String> finishedShards = new java.util.HashSet<>();
    private Thread poller;
    private volatile boolean running;

    public StreamEventSource(DynamoDbStreamsClient streams, SqsClient sqs, String streamArn, int batchSize,
                             boolean bisectOnError, int maxRetryAttempts, String onFailureQueueUrl,
                             LocalFunction function) {
        this.streams = streams;
        this.sqs = sqs;
        this.streamArn = streamArn;
        this.batchSize = batchSize;
        this.bisectOnError = bisectOnError;
        this.maxRetryAttempts = maxRetryAttempts;
        this.onFailureQueueUrl = onFailureQueueUrl;
        this.function = function;
    }

    /** Starts at the stream's end (StartingPosition LATEST): changes made from now on are delivered. */
    public void start() {
        running = true;
        discoverShards(ShardIteratorType.LATEST);
        poller = Thread.ofVirtual().name(function.name() + "-stream").start(this::poll);
    }

    public void stop(Duration grace) throws InterruptedException {
        running = false;
        if (poller != null) {
            poller.join(grace);
        }
    }

    private void poll() {
        long nextDiscovery = 0;
        while (running) {
            try {
                boolean any = false;
                for (String shardId : List.copyOf(iterators.keySet())) {
                    any |= pollShard(shardId);
                }
                if (System.nanoTime() >= nextDiscovery || iterators.isEmpty()) {
                    discoverShards(ShardIteratorType.TRIM_HORIZON);
                    nextDiscovery = System.nanoTime() + DISCOVERY_INTERVAL.toNanos();
                }
                if (!any) {
                    SqsEventSource.sleep(POLL_INTERVAL);
                }
            } catch (RuntimeException e) {
                if (running) {
                    Log.warn("local.stream-poll-failed", "function", function.name(), "error", e.toString());
                    SqsEventSource.sleep(Duration.ofSeconds(1));
                }
            }
        }
    }

    /** New shards (a stream rolls its shards over) start from their beginning, as Lambda's mapping does. */
    private void discoverShards(ShardIteratorType position) {
        for (Shard shard : streams.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards()) {
            String id = shard.shardId();
            if (!iterators.containsKey(id) && !finishedShards.contains(id)) {
                iterators.put(id, streams.getShardIterator(b -> b.streamArn(streamArn).shardId(id)
                        .shardIteratorType(position)).shardIterator());
            }
        }
    }

    private boolean pollShard(String shardId) {
        GetRecordsResponse response;
        try {
            response = streams.getRecords(b -> b.shardIterator(iterators.get(shardId)).limit(batchSize));
        } catch (TrimmedDataAccessException | ExpiredIteratorException e) {
            // DynamoDB Local trims a LATEST iterator taken on an empty shard; start again from the shard's
            // oldest record (at-least-once, as Lambda's mapping is).
            iterators.put(shardId, streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shardId)
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator());
            return false;
        }
        if (response.nextShardIterator() == null) {
            iterators.remove(shardId);
            finishedShards.add(shardId);
        } else {
            iterators.put(shardId, response.nextShardIterator());
        }
        if (response.records().isEmpty()) {
            return false;
        }
        deliver(shardId, response.records(), 0);
        return true;
    }

    private void deliver(String shardId, List<Record> records, int retries) {
        List<Record> pending = records;
        int attempt = retries;
        while (!pending.isEmpty()) {
            try {
                StreamsEventResponse response = (StreamsEventResponse) function.invoke(
                        LambdaEvents.dynamodbStream(pending, streamArn));
                int failedAt = firstFailure(pending, response);
                if (failedAt < 0) {
                    return;
                }
                pending = pending.subList(failedAt, pending.size());
            } catch (RuntimeException e) {
                Log.warn("local.stream-invoke-failed", "function", function.name(), "records", pending.size(),
                        "error", e.toString());
                if (bisectOnError && pending.size() > 1 && attempt < maxRetryAttempts) {
                    int half = pending.size() / 2;
                    deliver(shardId, pending.subList(0, half), attempt + 1);
                    deliver(shardId, pending.subList(half, pending.size()), attempt + 1);
                    return;
                }
            }
            if (++attempt > maxRetryAttempts) {
                sendToOnFailure(shardId, pending);
                return;
            }
            SqsEventSource.sleep(Duration.ofMillis(50L << Math.min(attempt, 6)));
        }
    }

    private static int firstFailure(List<Record> records, StreamsEventResponse response) {
        if (response == null || response.getBatchItemFailures() == null || response.getBatchItemFailures().isEmpty()) {
            return -1;
        }
        String sequence = response.getBatchItemFailures().get(0).getItemIdentifier();
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).dynamodb().sequenceNumber().equals(sequence)) {
                return i;
            }
        }
        return 0; // an identifier we did not send: Lambda retries the whole batch
    }

    /** The message Lambda sends to an on-failure destination for a stream batch it gave up on. */
    private void sendToOnFailure(String shardId, List<Record> records) {
        ObjectNode body = Json.object();
        body.putObject("requestContext").put("functionArn", function.name()).put("condition", "RetryAttemptsExhausted")
                .put("approximateInvokeCount", maxRetryAttempts + 1);
        body.put("timestamp", Instant.now().toString());
        body.putObject("DDBStreamBatchInfo").put("shardId", shardId)
                .put("startSequenceNumber", records.get(0).dynamodb().sequenceNumber())
                .put("endSequenceNumber", records.get(records.size() - 1).dynamodb().sequenceNumber())
                .put("batchSize", records.size()).put("streamArn", streamArn);
        Log.error("local.stream-batch-dropped", "function", function.name(), "records", records.size());
        if (onFailureQueueUrl != null) {
            sqs.sendMessage(b -> b.queueUrl(onFailureQueueUrl).messageBody(Json.write(body)));
        }
    }
}
