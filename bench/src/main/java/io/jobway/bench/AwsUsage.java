package io.jobway.bench;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * What the functions' own AWS clients did, for the cost model: calls by function and operation, and the DynamoDB
 * capacity units each function consumed. It asks every DynamoDB call for its consumed capacity (with each index),
 * which changes what the answer carries and nothing else. A failed write is booked at one write unit: a refused
 * conditional write is billed, though its error reports none.
 */
final class AwsUsage {
    private static final Set<String> WRITES = Set.of("PutItem", "UpdateItem", "DeleteItem");

    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final Map<String, DoubleAdder> writeUnits = new ConcurrentHashMap<>();
    private final Map<String, DoubleAdder> readUnits = new ConcurrentHashMap<>();

    /** The interceptor for one function's clients. */
    ExecutionInterceptor interceptorFor(String function) {
        return new ExecutionInterceptor() {
            @Override
            public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
                return withConsumedCapacity(context.request());
            }

            @Override
            public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
                count(function, attributes);
                Object response = context.response();
                List<ConsumedCapacity> capacity = consumed(response);
                double units = capacity.stream().mapToDouble(AwsUsage::units).sum();
                boolean reads = response instanceof GetItemResponse || response instanceof QueryResponse
                        || response instanceof BatchGetItemResponse;
                (reads ? readUnits : writeUnits).computeIfAbsent(function, k -> new DoubleAdder()).add(units);
            }

            @Override
            public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
                count(function, attributes);
                if (WRITES.contains(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))) {
                    writeUnits.computeIfAbsent(function, k -> new DoubleAdder()).add(1);
                }
            }
        };
    }

    private void count(String function, ExecutionAttributes attributes) {
        calls.computeIfAbsent(function + " " + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                k -> new LongAdder()).increment();
    }

    void clear() {
        calls.clear();
        writeUnits.clear();
        readUnits.clear();
    }

    /** Calls by "Function Operation", sorted. */
    Map<String, Long> calls() {
        Map<String, Long> out = new TreeMap<>();
        calls.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Calls whose operation is one of an SQS client's, summed (every Jobway message is far below 64 KB). */
    long callsTo(Set<String> operations) {
        return calls().entrySet().stream().filter(e -> operations.contains(e.getKey().substring(e.getKey().indexOf(' ') + 1)))
                .mapToLong(Map.Entry::getValue).sum();
    }

    double writeUnits() {
        return writeUnits.values().stream().mapToDouble(DoubleAdder::sum).sum();
    }

    double readUnits() {
        return readUnits.values().stream().mapToDouble(DoubleAdder::sum).sum();
    }

    private static SdkRequest withConsumedCapacity(SdkRequest request) {
        ReturnConsumedCapacity indexes = ReturnConsumedCapacity.INDEXES;
        return switch (request) {
            case GetItemRequest r when r.returnConsumedCapacity() == null -> r.toBuilder().returnConsumedCapacity(indexes).build();
            case PutItemRequest r when r.returnConsumedCapacity() == null -> r.toBuilder().returnConsumedCapacity(indexes).build();
            case UpdateItemRequest r when r.returnConsumedCapacity() == null -> r.toBuilder().returnConsumedCapacity(indexes).build();
            case DeleteItemRequest r when r.returnConsumedCapacity() == null -> r.toBuilder().returnConsumedCapacity(indexes).build();
            case QueryRequest r when r.returnConsumedCapacity() == null -> r.toBuilder().returnConsumedCapacity(indexes).build();
            case BatchGetItemRequest r when r.returnConsumedCapacity() == null -> r.toBuilder().returnConsumedCapacity(indexes).build();
            case BatchWriteItemRequest r when r.returnConsumedCapacity() == null -> r.toBuilder().returnConsumedCapacity(indexes).build();
            case TransactWriteItemsRequest r when r.returnConsumedCapacity() == null -> r.toBuilder().returnConsumedCapacity(indexes).build();
            default -> request;
        };
    }

    private static List<ConsumedCapacity> consumed(Object response) {
        return switch (response) {
            case GetItemResponse r -> one(r.consumedCapacity());
            case PutItemResponse r -> one(r.consumedCapacity());
            case UpdateItemResponse r -> one(r.consumedCapacity());
            case DeleteItemResponse r -> one(r.consumedCapacity());
            case QueryResponse r -> one(r.consumedCapacity());
            case BatchGetItemResponse r -> r.consumedCapacity();
            case BatchWriteItemResponse r -> r.consumedCapacity();
            case TransactWriteItemsResponse r -> r.consumedCapacity();
            default -> List.of();
        };
    }

    private static List<ConsumedCapacity> one(ConsumedCapacity capacity) {
        return capacity == null ? List.of() : List.of(capacity);
    }

    /** A call's units: the table's and each index's (CapacityUnits alone would leave the indexes out of reads). */
    private static double units(ConsumedCapacity c) {
        double table = c.table() != null && c.table().capacityUnits() != null ? c.table().capacityUnits()
                : c.capacityUnits() == null ? 0 : c.capacityUnits();
        double indexes = c.globalSecondaryIndexes().values().stream().mapToDouble(i -> i.capacityUnits()).sum();
        return table + indexes;
    }
}
