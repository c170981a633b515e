package io.jobway.local.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Records every AWS call a function's clients make (an SDK interceptor), with the write units DynamoDB says it
 * consumed. A failed call is recorded too: a failed conditional write is billed at least one write unit, though
 * its error carries no consumed capacity.
 */
final class AwsCallCounter implements ExecutionInterceptor {
    private static final Set<String> WRITES = Set.of("PutItem", "UpdateItem", "DeleteItem");

    record Call(String operation, double tableWriteUnits, double indexWriteUnits, boolean failed) {
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
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        beforeEachCall.run();
    }

    @Override
    public synchronized void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        List<ConsumedCapacity> capacity = switch (context.response()) {
            case PutItemResponse r -> r.consumedCapacity() == null ? List.of() : List.of(r.consumedCapacity());
            case UpdateItemResponse r -> r.consumedCapacity() == null ? List.of() : List.of(r.consumedCapacity());
            case TransactWriteItemsResponse r -> r.consumedCapacity();
            default -> List.of();
        };
        double table = capacity.stream().mapToDouble(c -> c.table() == null ? 0 : c.table().capacityUnits()).sum();
        double indexes = capacity.stream().flatMap(c -> c.globalSecondaryIndexes().values().stream())
                .mapToDouble(c -> c.capacityUnits()).sum();
        record(new Call(operation(attributes), table, indexes, false));
    }

    @Override
    public synchronized void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        String operation = operation(attributes);
        record(new Call(operation, WRITES.contains(operation) ? 1.0 : 0.0, 0.0, true));
    }

    private static String operation(ExecutionAttributes attributes) {
        return attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    }

    private void record(Call call) {
        calls.add(call);
        notifyAll();
    }

    /** Waits until {@code operation} has been answered since the last reset. */
    synchronized void awaitAnswered(String operation, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (calls.stream().noneMatch(call -> call.operation().equals(operation) && !call.failed())) {
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
