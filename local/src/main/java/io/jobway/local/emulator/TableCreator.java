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
 * moto or AWS). A table that already exists is kept with its items. An index the definition has and the table
 * lacks is added in place, as CloudFormation adds one on a stack update, so a data directory made by an older
 * Jobway keeps its data; a missing stream is an error naming the fix, since a stream cannot be added that way
 * without losing what the stream sources have read.
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
        table = addMissingIndexes(table, definition);
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

    /** One UpdateTable per index, each waited for until ACTIVE: DynamoDB builds one new index at a time. */
    private TableDescription addMissingIndexes(TableDescription table, CreateTableRequest definition) {
        Set<String> existing = table.globalSecondaryIndexes().stream()
                .map(GlobalSecondaryIndexDescription::indexName).collect(Collectors.toSet());
        TableDescription now = table;
        for (GlobalSecondaryIndex index : definition.globalSecondaryIndexes()) {
            if (existing.contains(index.indexName())) {
                continue;
            }
            dynamo.updateTable(b -> b.tableName(table.tableName()).attributeDefinitions(definition.attributeDefinitions())
                    .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName(index.indexName())
                            .keySchema(index.keySchema()).projection(index.projection())
                            .provisionedThroughput(index.provisionedThroughput()))));
            now = awaitIndexActive(table.tableName(), index.indexName());
        }
        return now;
    }

    private TableDescription awaitIndexActive(String tableName, String indexName) {
        long deadline = System.nanoTime() + java.time.Duration.ofMinutes(2).toNanos();
        while (true) {
            TableDescription table = describe(tableName).orElseThrow();
            boolean active = table.globalSecondaryIndexes().stream().anyMatch(i -> i.indexName().equals(indexName)
                    && i.indexStatus() == software.amazon.awssdk.services.dynamodb.model.IndexStatus.ACTIVE);
            if (active) {
                return table;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("index " + indexName + " of " + tableName + " was not ACTIVE in 2 min");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while " + indexName + " was being built", e);
            }
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
