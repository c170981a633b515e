package io.jobway.local.e2e;

import io.jobway.aws.AwsCallListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/** Records every AWS call a function's clients make, with the write units DynamoDB says it consumed. */
final class AwsCallCounter implements AwsCallListener {
    record Call(String operation, double tableWriteUnits, double indexWriteUnits) {
    }

    private final List<Call> calls = new ArrayList<>();
    private final Runnable beforeEachCall;

    AwsCallCounter() {
        this(() -> {
        });
    }

    /** A counter that runs {@code beforeEachCall} on the calling thread before each call goes out. */
    AwsCallCounter(Runnable beforeEachCall) {
        this.beforeEachCall = beforeEachCall;
    }

    @Override
    public void sending(String operation, SdkHttpRequest request) {
        beforeEachCall.run();
    }

    @Override
    public synchronized void answered(String operation, SdkResponse response) {
        List<ConsumedCapacity> capacity = switch (response) {
            case PutItemResponse r -> r.consumedCapacity() == null ? List.of() : List.of(r.consumedCapacity());
            case UpdateItemResponse r -> r.consumedCapacity() == null ? List.of() : List.of(r.consumedCapacity());
            case TransactWriteItemsResponse r -> r.consumedCapacity();
            default -> List.of();
        };
        double table = capacity.stream().mapToDouble(c -> c.table() == null ? 0 : c.table().capacityUnits()).sum();
        double indexes = capacity.stream().flatMap(c -> c.globalSecondaryIndexes().values().stream())
                .mapToDouble(c -> c.capacityUnits()).sum();
        calls.add(new Call(operation, table, indexes));
        notifyAll();
    }

    /** Waits until {@code operation} has been answered since the last reset. */
    synchronized void awaitAnswered(String operation, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (calls.stream().noneMatch(call -> call.operation().equals(operation))) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException(operation + " was not answered within " + timeout);
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + operation, e);
            }
        }
    }

    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    synchronized void reset() {
        calls.clear();
    }
}
