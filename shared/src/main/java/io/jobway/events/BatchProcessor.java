package io.jobway.events;

import com.amazonaws.services.lambda.runtime.Context;
import io.jobway.obs.Log;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The one batch fan-out of Jobway's SQS and stream functions: a function per record in, the partial batch response
 * ({@code ReportBatchItemFailures}) out. Modeled on Powertools for AWS Lambda (Java)'s {@code BatchMessageHandler}
 * (a processor built once in the handler's constructor around a per-record function; a record whose function throws
 * is a failed item, logged, and never fails its neighbours or the invocation), which cannot be had here; see
 * docs/ARCHITECTURE.md for what this one keeps of it and what it adds.
 * <ul>
 * <li>{@link #sqs SQS}: every message on its own virtual thread. A message whose function returns false, or
 *     throws, is reported by its message id; a throw is logged with the message id.</li>
 * <li>{@link #stream Stream}: records grouped by a key (a job's id), each key's records one after the other in
 *     stream order, the keys in parallel, each on its own virtual thread. When a record fails, the later records of
 *     its key are not attempted, and the response holds the earliest failed record's sequence number, from where
 *     Lambda delivers the batch again (records before it are done; those after it, of any key, come again, at least
 *     once). A failed record without a sequence number cannot be delivered again by itself: it is only logged, and
 *     its key goes on.</li>
 * </ul>
 *
 * @param <R> the record type: {@link SqsMessage} or {@link StreamRecord}
 */
public final class BatchProcessor<R> {
    /** What to do with one record of a batch. */
    @FunctionalInterface
    public interface RecordFunction<R> {
        /** True when done with the record; false, or a throw, to have it delivered again. */
        boolean process(R record) throws Exception;
    }

    @FunctionalInterface
    private interface Reader<R> {
        List<R> read(InputStream event) throws IOException;
    }

    private final Reader<R> reader;
    private final BiFunction<Context, List<R>, RecordFunction<R>> functionPerBatch;
    private final String failureEvent;
    /** The item identifier Lambda takes back: a message id, a sequence number. */
    private final Function<R, String> identifier;
    private final String identifierName;
    /** The key whose records run in order; null for SQS (every record on its own). */
    private final Function<R, String> key;

    private BatchProcessor(Reader<R> reader, BiFunction<Context, List<R>, RecordFunction<R>> functionPerBatch,
                           String failureEvent, Function<R, String> identifier, String identifierName,
                           Function<R, String> key) {
        this.reader = reader;
        this.functionPerBatch = functionPerBatch;
        this.failureEvent = failureEvent;
        this.identifier = identifier;
        this.identifierName = identifierName;
        this.key = key;
    }

    /**
     * SQS mode: each message on its own virtual thread.
     *
     * @param failureEvent     the log event of a message whose function threw (e.g. {@code worker.message-failed})
     * @param functionPerBatch the function for one batch, given its invocation's context (the deadline it reads, or
     *                         state the batch's records share); most functions ignore it: {@code context -> f}
     */
    public static BatchProcessor<SqsMessage> sqs(String failureEvent,
                                                 Function<Context, RecordFunction<SqsMessage>> functionPerBatch) {
        return sqsSeeingBatch(failureEvent, (context, messages) -> functionPerBatch.apply(context));
    }

    /** {@link #sqs}, with the batch's function built from its messages too (before any of them is processed). */
    public static BatchProcessor<SqsMessage> sqsSeeingBatch(String failureEvent,
            BiFunction<Context, List<SqsMessage>, RecordFunction<SqsMessage>> functionPerBatch) {
        return new BatchProcessor<>(SqsBatch::read, functionPerBatch, failureEvent, SqsMessage::messageId,
                "messageId", null);
    }

    /**
     * Stream mode: records in order within a key, keys in parallel. A record whose key is null is a key of its own.
     *
     * @param failureEvent     the log event of a record whose function threw (e.g. {@code notify.record-failed})
     * @param functionPerBatch as for {@link #sqs}
     */
    public static BatchProcessor<StreamRecord> stream(String failureEvent, Function<StreamRecord, String> key,
                                                      Function<Context, RecordFunction<StreamRecord>> functionPerBatch) {
        return new BatchProcessor<>(StreamBatch::read, (context, records) -> functionPerBatch.apply(context),
                failureEvent, StreamRecord::sequenceNumber, "sequenceNumber", key);
    }

    /** Reads the event's bytes, processes the batch and writes its partial batch response: a handler's one line. */
    public void handle(InputStream event, OutputStream response, Context context) throws IOException {
        process(reader.read(event), context).write(response);
    }

    /** Processes a batch already read, in the invocation that {@code context} describes. */
    public BatchItemFailures process(List<R> records, Context context) {
        RecordFunction<R> function = functionPerBatch.apply(context, records);
        List<List<Integer>> lanes = lanes(records);
        List<Integer> failed = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> results = lanes.stream()
                    .map(lane -> executor.submit(() -> runInOrder(records, lane, function))).toList();
            for (int i = 0; i < lanes.size(); i++) {
                int index = failedIn(results.get(i), lanes.get(i));
                if (index >= 0 && identifier.apply(records.get(index)) != null) {
                    failed.add(index);
                }
            }
        }
        failed.sort(null); // batch order
        List<String> items = failed.stream().map(index -> identifier.apply(records.get(index))).toList();
        return new BatchItemFailures(key == null || items.isEmpty() ? items : items.subList(0, 1));
    }

    /** The batch's indexes, one lane per key in order of first appearance; in SQS mode, one lane per record. */
    private List<List<Integer>> lanes(List<R> records) {
        Map<Object, List<Integer>> byKey = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            String k = key == null ? null : key.apply(records.get(i));
            byKey.computeIfAbsent(k == null ? Integer.valueOf(i) : k, x -> new ArrayList<>()).add(i);
        }
        return List.copyOf(byKey.values());
    }

    /** Runs one lane's records in order; returns the index of the record that failed, or -1. */
    private int runInOrder(List<R> records, List<Integer> lane, RecordFunction<R> function) {
        for (int index : lane) {
            R record = records.get(index);
            String id = identifier.apply(record);
            boolean done;
            try {
                done = function.process(record);
            } catch (Throwable e) { // a record's failure, whatever it is, is that record's alone
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                Log.error(failureEvent, identifierName, id, "error", e.toString());
                done = false;
                if (id == null) {
                    continue; // it cannot be delivered again by itself: only logged, and its key goes on
                }
            }
            if (!done && id != null) {
                return index;
            }
            if (!done) {
                Log.error(failureEvent, identifierName, null, "error",
                        "not done, and without a " + identifierName + " it cannot be delivered again by itself");
            }
        }
        return -1;
    }

    /** A lane's failed record; if the lane could not report (interrupted), its first record: it all comes again. */
    private static int failedIn(Future<Integer> result, List<Integer> lane) {
        try {
            return result.get();
        } catch (ExecutionException e) { // runInOrder catches every throw; this keeps a surprise to its own lane
            return lane.getFirst();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return lane.getFirst();
        }
    }
}
