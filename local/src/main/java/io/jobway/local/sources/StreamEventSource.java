package io.jobway.local.sources;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobway.json.Json;
import io.jobway.events.BatchItemFailures;
import io.jobway.local.lambda.LambdaEvents;
import io.jobway.local.emulator.WriteSignal;
import io.jobway.local.lambda.LocalFunction;
import io.jobway.obs.Log;
import java.time.Duration;
import java.time.Instant;
import io.jobway.local.chaos.StreamFaults;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
 * skipped, so one poison record never stops the shard. With a parallelization factor above 1, up to that many
 * batches of a shard are processed at once, each partition key (a job) always in the same lane and in order.
 */
public final class StreamEventSource {
    /**
     * How long a shard that just gave nothing waits before the next GetRecords, while the table is being written.
     * Lambda polls a shard about 4 times a second; the local runtime polls faster so a browser sees a change within
     * tens of milliseconds (measured: p50 84 ms at 100 ms, 35 ms at 25 ms, at 10 jobs/s; docs/BENCHMARKS.md).
     */
    private static final Duration POLL_INTERVAL = Duration.ofMillis(25);
    /**
     * With a write signal (the embedded DynamoDB), polling goes on this long after the last write (a change can
     * reach the stream a little after its write is answered), then rests until the next write. Polling at 25 ms
     * all the time was the largest part of an idle runtime's CPU (docs/BENCHMARKS.md, "Idle CPU").
     */
    private static final Duration ACTIVE_AFTER_WRITE = Duration.ofSeconds(2);
    /** Resting, it still looks this often, in case a change came some other way. */
    private static final Duration REST_POLL = Duration.ofSeconds(5);
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
    private final WriteSignal writes;
    private final List<Lane> lanes = new ArrayList<>();
    private final Map<String, String> iterators = new HashMap<>();
    private final Set<String> finishedShards = new java.util.HashSet<>();
    private final StreamCheckpoints checkpoints;
    private final StreamFaults faults;
    private Thread poller;
    private volatile boolean running;

    /**
     * @param parallelization Lambda's ParallelizationFactor (1-10): concurrent batches per shard
     * @param writes          signalled after each write to the table, or null to poll every {@code POLL_INTERVAL}
     * @param checkpointFile  where the source keeps its place in each shard across restarts, or null for none
     * @param faults          batches reordered or repeated on purpose (the chaos soak), or {@link StreamFaults#NONE}
     */
    public StreamEventSource(DynamoDbStreamsClient streams, SqsClient sqs, String streamArn, int batchSize,
                             int parallelization, boolean bisectOnError, int maxRetryAttempts, String onFailureQueueUrl,
                             LocalFunction function, WriteSignal writes, java.nio.file.Path checkpointFile,
                             StreamFaults faults) {
        this.checkpoints = new StreamCheckpoints(checkpointFile);
        this.faults = faults;
        if (parallelization < 1 || parallelization > 10) {
            throw new IllegalArgumentException("ParallelizationFactor must be 1-10, was " + parallelization);
        }
        for (int i = 1; parallelization > 1 && i <= parallelization; i++) {
            lanes.add(new Lane(function.name() + "-stream-lane-" + i));
        }
        this.streams = streams;
        this.sqs = sqs;
        this.streamArn = streamArn;
        this.batchSize = batchSize;
        this.bisectOnError = bisectOnError;
        this.maxRetryAttempts = maxRetryAttempts;
        this.onFailureQueueUrl = onFailureQueueUrl;
        this.function = function;
        this.writes = writes;
    }

    /**
     * The first start begins at the stream's end (StartingPosition LATEST): changes made from then on are
     * delivered. A restart goes on after each shard's checkpoint, and reads a shard made while it was down from its
     * beginning.
     */
    public void start() {
        running = true;
        discoverShards(checkpoints.resumed() ? ShardIteratorType.TRIM_HORIZON : ShardIteratorType.LATEST);
        lanes.forEach(Lane::start);
        poller = Thread.ofVirtual().name(function.name() + "-stream").start(this::poll);
    }

    /** Stops polling; what was fetched is still delivered, within the grace period. */
    public void stop(Duration grace) throws InterruptedException {
        running = false;
        if (poller != null) {
            poller.join(grace);
        }
        for (Lane lane : lanes) {
            lane.thread.join(grace);
        }
    }

    private void poll() {
        long nextDiscovery = 0;
        long lastWriteSeen = writes == null ? 0 : writes.writes();
        long activeUntil = System.nanoTime() + ACTIVE_AFTER_WRITE.toNanos();
        while (running) {
            try {
                if (writes != null && System.nanoTime() > activeUntil) {
                    writes.awaitAfter(lastWriteSeen, REST_POLL); // rest: nothing was written for a while
                }
                if (writes != null && writes.writes() != lastWriteSeen) {
                    lastWriteSeen = writes.writes();
                    activeUntil = System.nanoTime() + ACTIVE_AFTER_WRITE.toNanos();
                }
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
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
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
                iterators.put(id, iterator(id, position));
            }
        }
    }

    /** After the shard's checkpoint when it has one (and the record is still there), else at {@code position}. */
    private String iterator(String shardId, ShardIteratorType position) {
        Optional<String> after = checkpoints.after(shardId);
        if (after.isPresent()) {
            try {
                return streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shardId)
                        .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(after.get()))
                        .shardIterator();
            } catch (TrimmedDataAccessException e) {
                position = ShardIteratorType.TRIM_HORIZON; // older than the stream keeps: from its oldest record
            }
        }
        ShardIteratorType from = position;
        return streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shardId).shardIteratorType(from))
                .shardIterator();
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
        checkpoints.fetched(shardId, sequenceNumbers(response.records()));
        if (lanes.isEmpty()) {
            deliver(shardId, response.records(), 0);
        } else {
            for (Record record : response.records()) {
                int lane = Math.floorMod(new TreeMap<>(record.dynamodb().keys()).toString().hashCode(), lanes.size());
                lanes.get(lane).put(new Fetched(shardId, record));
            }
        }
        return true;
    }

    private record Fetched(String shardId, Record record) {
    }

    /** One of a shard's concurrent batches: the records of its partition keys, in stream order. */
    private final class Lane {
        private final BlockingQueue<Fetched> pending = new LinkedBlockingQueue<>(Math.max(100, batchSize * 4));
        private final String name;
        private Thread thread;

        Lane(String name) {
            this.name = name;
        }

        void start() {
            thread = Thread.ofVirtual().name(name).start(this::run);
        }

        void put(Fetched fetched) {
            try {
                pending.put(fetched); // a full lane holds the poller back, as Lambda does with a busy shard
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void run() {
            while (running || !pending.isEmpty()) {
                try {
                    // records are put here as soon as fetched; the timeout only lets a stop be noticed
                    Fetched first = pending.poll(1, TimeUnit.SECONDS);
                    if (first == null) {
                        continue;
                    }
                    List<Record> batch = new ArrayList<>(List.of(first.record()));
                    while (batch.size() < batchSize && pending.peek() != null
                            && pending.peek().shardId().equals(first.shardId())) {
                        batch.add(pending.poll().record());
                    }
                    deliver(first.shardId(), batch, 0);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException e) {
                    Log.warn("local.stream-lane-failed", "function", function.name(), "error", e.toString());
                }
            }
        }
    }

    /** Delivers a fetched batch, then moves the shard's checkpoint past it. */
    private void deliver(String shardId, List<Record> records, int retries) {
        try {
            for (List<Record> delivery : faults.deliveries(records)) {
                deliverWithRetries(shardId, delivery, retries);
            }
        } finally {
            checkpoints.done(shardId, sequenceNumbers(records));
        }
    }

    private static List<String> sequenceNumbers(List<Record> records) {
        return records.stream().map(r -> r.dynamodb().sequenceNumber()).toList();
    }

    private void deliverWithRetries(String shardId, List<Record> records, int retries) {
        List<Record> pending = records;
        int attempt = retries;
        while (!pending.isEmpty()) {
            try {
                int failedAt = firstFailure(pending,
                        function.invokeForJson(LambdaEvents.dynamodbStream(pending, streamArn)));
                if (failedAt < 0) {
                    return;
                }
                pending = pending.subList(failedAt, pending.size());
            } catch (RuntimeException e) {
                Log.warn("local.stream-invoke-failed", "function", function.name(), "records", pending.size(),
                        "error", e.toString());
                if (bisectOnError && pending.size() > 1 && attempt < maxRetryAttempts) {
                    int half = pending.size() / 2;
                    deliverWithRetries(shardId, pending.subList(0, half), attempt + 1);
                    deliverWithRetries(shardId, pending.subList(half, pending.size()), attempt + 1);
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

    /** Where the partial batch response says to deliver again from; -1 when it reports no failure. */
    private static int firstFailure(List<Record> records, String answer) {
        List<String> failed = BatchItemFailures.read(answer).itemIdentifiers();
        if (failed.isEmpty()) {
            return -1;
        }
        String sequence = failed.get(0);
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
