package io.jobway.local.emulator;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * Makes sure one DynamoDB table exists as defined, through plain DynamoDB calls only (DynamoDB Local, LocalStack,
 * moto or AWS). A table that already exists is kept with its items; if it lacks an index or the stream the
 * definition asks for, that is an error naming the fix, since changing a table's shape in place is not this
 * class's job and a silent mismatch would surface much later as a failed query.
 */
final class TableCreator {
    private final DynamoDbClient dynamo;

    TableCreator(DynamoDbClient dynamo) {
        this.dynamo = dynamo;
    }

    ResourceRegistry.Table ensure(String logicalId, CreateTableRequest definition, Optional<String> ttlAttribute) {
        String name = definition.tableName();
        TableDescription table = describe(name).orElseGet(() -> {
            dynamo.createTable(definition);
            dynamo.waiter().waitUntilTableExists(b -> b.tableName(name)); // until ACTIVE
            return describe(name).orElseThrow();
        });
        checkShape(table, definition);
        ttlAttribute.ifPresent(attribute -> enableTimeToLive(name, attribute));
        return new ResourceRegistry.Table(logicalId, name, table.tableArn(), Optional.ofNullable(table.latestStreamArn()));
    }

    private Optional<TableDescription> describe(String name) {
        try {
            return Optional.of(dynamo.describeTable(b -> b.tableName(name)).table());
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    private void checkShape(TableDescription table, CreateTableRequest definition) {
        Set<String> existing = table.globalSecondaryIndexes().stream()
                .map(GlobalSecondaryIndexDescription::indexName).collect(Collectors.toSet());
        List<String> missing = definition.globalSecondaryIndexes().stream()
                .map(GlobalSecondaryIndex::indexName).filter(index -> !existing.contains(index)).toList();
        boolean streamMissing = definition.streamSpecification() != null
                && Boolean.TRUE.equals(definition.streamSpecification().streamEnabled())
                && table.latestStreamArn() == null;
        if (!missing.isEmpty() || streamMissing) {
            throw new IllegalStateException("Table " + table.tableName() + " exists but lacks "
                    + (missing.isEmpty() ? "" : "the indexes " + missing + " ") + (streamMissing ? "its stream " : "")
                    + "that the template declares: delete the table (or the local data directory) to re-create it");
        }
    }

    /** UpdateTimeToLive fails when TTL is already on, so look first. */
    private void enableTimeToLive(String table, String attribute) {
        var status = dynamo.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription().timeToLiveStatus();
        if (status == TimeToLiveStatus.ENABLED || status == TimeToLiveStatus.ENABLING) {
            return;
        }
        dynamo.updateTimeToLive(b -> b.tableName(table)
                .timeToLiveSpecification(spec -> spec.attributeName(attribute).enabled(true)));
    }
}
