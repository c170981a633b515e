package io.jobway.local.e2e;

import io.jobway.aws.AwsCallListener;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/** Records every AWS call a function's clients make, with the write units DynamoDB says it consumed. */
final class AwsCallCounter implements AwsCallListener {
    record Call(String operation, double tableWriteUnits, double indexWriteUnits) {
    }

    private final List<Call> calls = new ArrayList<>();

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
    }

    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    synchronized void reset() {
        calls.clear();
    }
}
