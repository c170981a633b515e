package io.jobway.local.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Out-of-order and repeated stream records, for the chaos soak: a fetched batch is handed to the function in
 * reverse order ({@code streamReorder}), or handed to it a second time right after the first
 * ({@code streamRepeat}), as Lambda does when it retries a batch the function had partly handled. The function
 * then sees a job's older change after a newer one.
 */
public final class StreamFaults {
    public static final StreamFaults NONE = new StreamFaults(0, 0, 1);

    private final double reorder;
    private final double repeat;
    private final SplittableRandom random;

    public StreamFaults(double reorder, double repeat, long seed) {
        this.reorder = reorder;
        this.repeat = repeat;
        this.random = new SplittableRandom(seed);
    }

    public static StreamFaults of(FaultInjector.Rates rates) {
        return new StreamFaults(rates.streamReorder(), rates.streamRepeat(), rates.seed());
    }

    /** The deliveries to make of one fetched batch, in order: the batch itself, unless a fault is drawn. */
    public synchronized <T> List<List<T>> deliveries(List<T> batch) {
        if (reorder == 0 && repeat == 0) {
            return List.of(batch);
        }
        List<T> first = batch;
        if (random.nextDouble() < reorder) {
            first = new ArrayList<>(batch);
            java.util.Collections.reverse(first);
        }
        return random.nextDouble() < repeat ? List.of(first, batch) : List.of(first);
    }
}
