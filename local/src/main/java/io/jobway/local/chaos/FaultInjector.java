package io.jobway.local.chaos;

import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Makes a function's AWS calls fail at set rates, for the chaos soak: before the call (a connection that failed;
 * a throttle, as DynamoDB or SQS answers one), or after it (the write happened, its answer was lost, so the caller
 * sees an error for a write that was made). A throttle is retried by the SDK, as a real one is; a failed connection
 * or a lost answer is not (it stands for a failure the SDK's retries did not get past), so the code above it sees
 * every one. And a stall: after an UpdateItem that was applied, the caller freezes for {@code stallSeconds}, as a
 * worker paused by a long GC or a frozen host right after its claim, while its lease runs out. Rates come from
 * {@code JOBWAY_FAULTS} ({@link #parse}); a seed makes a run repeatable.
 */
public final class FaultInjector implements ExecutionInterceptor {
    /** The writes whose answer can be lost after they were applied. */
    static final Set<String> WRITES = Set.of("PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems",
            "BatchWriteItem", "SendMessage", "SendMessageBatch", "DeleteMessage", "DeleteMessageBatch",
            "ChangeMessageVisibility", "ChangeMessageVisibilityBatch");

    /** Each rate a probability per call, from 0 to 1. */
    public record Rates(double fail, double throttle, double failAfterWrite, double stall, int stallSeconds,
                        double streamReorder, double streamRepeat, long seed) {
        public Rates {
            for (double rate : new double[] {fail, throttle, failAfterWrite, stall, streamReorder, streamRepeat}) {
                if (rate < 0 || rate > 1) {
                    throw new IllegalArgumentException("a fault rate is a probability from 0 to 1, not " + rate);
                }
            }
            if (stallSeconds < 0) {
                throw new IllegalArgumentException("stallSeconds is a number of seconds, not " + stallSeconds);
            }
        }

        public Rates(double fail, double throttle, double failAfterWrite, long seed) {
            this(fail, throttle, failAfterWrite, 0, 0, 0, 0, seed);
        }

        /** The same rates from another seed, and with or without the stall. */
        public Rates reseeded(long newSeed, boolean stalls) {
            return new Rates(fail, throttle, failAfterWrite, stalls ? stall : 0, stallSeconds, streamReorder,
                    streamRepeat, newSeed);
        }
    }

    private final Rates rates;
    private final SplittableRandom random;
    private final LongAdder injected = new LongAdder();

    public FaultInjector(Rates rates) {
        this.rates = rates;
        this.random = new SplittableRandom(rates.seed());
    }

    /**
     * {@code fail=0.02,throttle=0.01,failAfterWrite=0.01,stall=0.001,stallSeconds=45,streamReorder=0.05,
     * streamRepeat=0.05,seed=7}: any of the keys, in any order ({@link StreamFaults} takes the stream's two). A key this does not know, or a rate that is not a probability, is refused, naming it.
     */
    public static Rates parse(String spec) {
        double fail = 0;
        double throttle = 0;
        double afterWrite = 0;
        double stall = 0;
        int stallSeconds = 45;
        double reorder = 0;
        double repeat = 0;
        long seed = 1;
        for (String part : spec.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("JOBWAY_FAULTS: '" + part + "' is not key=value");
            }
            try {
                switch (kv[0].trim()) {
                    case "fail" -> fail = Double.parseDouble(kv[1]);
                    case "throttle" -> throttle = Double.parseDouble(kv[1]);
                    case "failAfterWrite" -> afterWrite = Double.parseDouble(kv[1]);
                    case "stall" -> stall = Double.parseDouble(kv[1]);
                    case "stallSeconds" -> stallSeconds = Integer.parseInt(kv[1].trim());
                    case "streamReorder" -> reorder = Double.parseDouble(kv[1]);
                    case "streamRepeat" -> repeat = Double.parseDouble(kv[1]);
                    case "seed" -> seed = Long.parseLong(kv[1].trim());
                    default -> throw new IllegalArgumentException("JOBWAY_FAULTS: unknown key '" + kv[0].trim()
                            + "' (fail, throttle, failAfterWrite, stall, stallSeconds, streamReorder, streamRepeat,"
                            + " seed)");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("JOBWAY_FAULTS: '" + kv[1] + "' is not a number for " + kv[0]);
            }
        }
        return new Rates(fail, throttle, afterWrite, stall, stallSeconds, reorder, repeat, seed);
    }

    /** How many faults this has injected. */
    public long injected() {
        return injected.sum();
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        double roll = roll();
        if (roll < rates.fail()) {
            injected.increment();
            throw SdkClientException.create("injected fault: the connection to " + service(attributes) + " failed");
        }
        if (roll < rates.fail() + rates.throttle()) {
            injected.increment();
            throw AwsServiceException.builder().statusCode(400).message("injected fault: throttled")
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException")
                            .errorMessage("injected fault: throttled").serviceName(service(attributes)).build())
                    .build();
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (WRITES.contains(operation) && roll() < rates.failAfterWrite()) {
            injected.increment();
            throw SdkClientException.create("injected fault: " + operation + " was applied, its answer lost");
        }
        if (operation.equals("UpdateItem") && rates.stall() > 0 && roll() < rates.stall()) {
            injected.increment();
            System.err.printf("jobway: injected fault: a stall of %d s after an UpdateItem%n", rates.stallSeconds());
            try {
                Thread.sleep(rates.stallSeconds() * 1_000L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private synchronized double roll() {
        return random.nextDouble();
    }

    private static String service(ExecutionAttributes attributes) {
        return attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
    }
}
