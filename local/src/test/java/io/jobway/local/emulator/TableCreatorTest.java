package io.jobway.local.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** A data directory made before the template gained an index keeps its items and gets the index. */
class TableCreatorTest {
    private static Emulators emulators;

    @BeforeAll
    static void start() {
        emulators = Emulators.inMemory();
    }

    @AfterAll
    static void stop() {
        emulators.close();
    }

    @Test
    void an_index_the_table_lacks_is_added_in_place_and_the_items_stay() {
        CreateTableRequest before = CreateTableRequest.builder().tableName("sources")
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attribute("sourceId"))
                .keySchema(KeySchemaElement.builder().attributeName("sourceId").keyType(KeyType.HASH).build()).build();
        CreateTableRequest after = before.toBuilder().attributeDefinitions(attribute("sourceId"), attribute("tenantId"))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("byTenant")
                        .keySchema(KeySchemaElement.builder().attributeName("tenantId").keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName("sourceId").keyType(KeyType.RANGE).build())
                        .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY)).build()).build();
        TableCreator creator = new TableCreator(emulators.dynamo);
        creator.ensure("Sources", before, Optional.empty());
        emulators.dynamo.putItem(b -> b.tableName("sources").item(Map.of("sourceId", AttributeValue.fromS("hs_1"),
                "tenantId", AttributeValue.fromS("tenant-a"))));

        creator.ensure("Sources", after, Optional.empty());

        var found = emulators.dynamo.query(b -> b.tableName("sources").indexName("byTenant")
                .keyConditionExpression("tenantId = :t")
                .expressionAttributeValues(Map.of(":t", AttributeValue.fromS("tenant-a")))).items();
        assertThat(found).extracting(item -> item.get("sourceId").s()).isEqualTo(List.of("hs_1"));
    }

    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }
}
