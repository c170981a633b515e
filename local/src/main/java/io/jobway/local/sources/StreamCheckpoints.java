package io.jobway.local.sources;

import io.jobway.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Where a stream event source has got to in each shard, as Lambda's mapping keeps it: the last sequence number
 * below which every record fetched has been delivered (or sent to the on-failure destination). Kept in a file on
 * the data directory, so a restart, a crash included, goes on after it instead of at the stream's end, where the
 * changes made just before the crash would never be delivered (a job's webhook lost). At least once: what was
 * delivered after the last write of the file is delivered again. In memory (no file), nothing outlives a run.
 */
final class StreamCheckpoints {
    private final Path file;
    private final Map<String, String> checkpoints = new HashMap<>();
    /** Per shard: fetched records not yet done, and done ones above the checkpoint (lanes finish out of order). */
    private final Map<String, TreeSet<String>> inFlight = new HashMap<>();
    private final Map<String, TreeSet<String>> doneAbove = new HashMap<>();
    /** Sequence numbers are decimal strings, compared as numbers; kept as given (DynamoDB Local pads them). */
    private static final Comparator<String> NUMERIC = Comparator.comparing(BigInteger::new);
    private final boolean resumed;

    StreamCheckpoints(Path file) {
        this.file = file;
        this.resumed = file != null && Files.exists(file);
        if (resumed) {
            try {
                Json.parse(Files.readString(file)).fields().forEachRemaining(e ->
                        checkpoints.put(e.getKey(), e.getValue().asText()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the stream checkpoints in " + file, e);
            }
        }
    }

    /** True when an earlier run left checkpoints: a shard without one was made while it was down. */
    boolean resumed() {
        return resumed;
    }

    synchronized Optional<String> after(String shardId) {
        return Optional.ofNullable(checkpoints.get(shardId));
    }

    synchronized void fetched(String shardId, Iterable<String> sequenceNumbers) {
        TreeSet<String> pending = inFlight.computeIfAbsent(shardId, k -> new TreeSet<>(NUMERIC));
        sequenceNumbers.forEach(pending::add);
    }

    /** Marks records done and moves the shard's checkpoint as far as no earlier record is still in flight. */
    synchronized void done(String shardId, Iterable<String> sequenceNumbers) {
        TreeSet<String> pending = inFlight.computeIfAbsent(shardId, k -> new TreeSet<>(NUMERIC));
        TreeSet<String> done = doneAbove.computeIfAbsent(shardId, k -> new TreeSet<>(NUMERIC));
        for (String s : sequenceNumbers) {
            pending.remove(s);
            done.add(s);
        }
        String limit = pending.isEmpty() ? null : pending.first();
        String checkpoint = limit == null ? (done.isEmpty() ? null : done.last()) : done.lower(limit);
        if (checkpoint != null) {
            done.headSet(checkpoint, true).clear();
            checkpoints.put(shardId, checkpoint);
            write();
        }
    }

    /** Replaces the file whole: a crash mid-write leaves the previous one. */
    private void write() {
        if (file == null) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            Path next = file.resolveSibling(file.getFileName() + ".next");
            var node = Json.object();
            checkpoints.forEach(node::put);
            Files.writeString(next, Json.write(node));
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the stream checkpoints to " + file, e);
        }
    }
}
