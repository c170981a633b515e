package io.jobway.local.emulator;

import io.jobway.json.Json;
import io.jobway.local.template.CfnResource;
import io.jobway.local.template.CfnTemplate;
import io.jobway.local.template.Intrinsics;
import io.jobway.local.template.StackContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Creates the template's {@code AWS::SQS::Queue} and {@code AWS::DynamoDB::Table} resources on an SQS and a
 * DynamoDB endpoint, so the local runtime has exactly the queues and tables that {@code sam deploy} would make.
 * A resource is created after the ones it refers to (a queue after its dead-letter queue). Running it again
 * against the same endpoints (after a restart on kept data) creates nothing and fails on nothing. Physical names
 * are {@code <stack>-<logicalId>} unless the template names the resource itself. Properties with no local
 * meaning (encryption, point-in-time recovery, tags, deletion policies) are ignored.
 */
public final class LocalResources {
    private static final Map<String, QueueAttributeName> QUEUE_ATTRIBUTES = Map.of(
            "VisibilityTimeout", QueueAttributeName.VISIBILITY_TIMEOUT,
            "MessageRetentionPeriod", QueueAttributeName.MESSAGE_RETENTION_PERIOD,
            "DelaySeconds", QueueAttributeName.DELAY_SECONDS,
            "ReceiveMessageWaitTimeSeconds", QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS,
            "MaximumMessageSize", QueueAttributeName.MAXIMUM_MESSAGE_SIZE,
            "FifoQueue", QueueAttributeName.FIFO_QUEUE,
            "ContentBasedDeduplication", QueueAttributeName.CONTENT_BASED_DEDUPLICATION);

    private final CfnTemplate template;
    private final StackContext stack;
    private final QueueCreator queues;
    private final TableCreator tables;
    private final ResourceRegistry registry = new ResourceRegistry();
    private final Intrinsics intrinsics;

    public LocalResources(CfnTemplate template, Map<String, String> parameters, StackContext stack,
            SqsClient sqs, DynamoDbClient dynamo) {
        this.template = template;
        this.stack = stack;
        this.queues = new QueueCreator(sqs);
        this.tables = new TableCreator(dynamo);
        this.intrinsics = new Intrinsics(parameters, stack, registry);
    }

    /** With the template's parameter defaults and the local stack (jobway-local, us-east-1). */
    public static LocalResources of(CfnTemplate template, SqsClient sqs, DynamoDbClient dynamo) {
        return new LocalResources(template, template.parameterDefaults(), StackContext.LOCAL, sqs, dynamo);
    }

    /** Creates what is missing and returns every queue and table by logical id. Call it once per instance. */
    public ResourceRegistry createAll() {
        var inProgress = new HashSet<String>();
        for (CfnResource resource : template.resources().values()) {
            if (isCreatedHere(resource)) {
                ensure(resource, inProgress);
            }
        }
        return registry;
    }

    private static boolean isCreatedHere(CfnResource resource) {
        return resource.type().equals(ResourceRegistry.QUEUE_TYPE) || resource.type().equals(ResourceRegistry.TABLE_TYPE);
    }

    /** Creates what the resource refers to first; a cycle cannot be created in any order, so it is an error. */
    private void ensure(CfnResource resource, Set<String> inProgress) {
        String id = resource.logicalId();
        if (registry.contains(id)) {
            return;
        }
        if (!inProgress.add(id)) {
            throw new IllegalArgumentException("Resources refer to each other in a cycle through " + id);
        }
        for (String reference : Intrinsics.references(resource.properties())) {
            template.resource(reference).filter(LocalResources::isCreatedHere).ifPresent(dep -> ensure(dep, inProgress));
        }
        if (resource.type().equals(ResourceRegistry.QUEUE_TYPE)) {
            registry.add(queues.ensure(id, name(resource, "QueueName"), queueAttributes(resource)));
        } else {
            registry.add(tables.ensure(id, tableDefinition(resource), timeToLiveAttribute(resource)));
        }
        inProgress.remove(id);
    }

    private String name(CfnResource resource, String nameProperty) {
        Object explicit = resource.property(nameProperty);
        return explicit != null ? intrinsics.resolve(explicit) : stack.physicalName(resource.logicalId());
    }

    private Map<QueueAttributeName, String> queueAttributes(CfnResource queue) {
        var attributes = new LinkedHashMap<QueueAttributeName, String>();
        QUEUE_ATTRIBUTES.forEach((property, attribute) -> {
            Object value = queue.property(property);
            if (value != null) {
                attributes.put(attribute, intrinsics.resolve(value));
            }
        });
        Map<String, Object> redrive = map(queue.property("RedrivePolicy"));
        if (!redrive.isEmpty()) {
            attributes.put(QueueAttributeName.REDRIVE_POLICY, Json.object()
                    .put("deadLetterTargetArn", intrinsics.resolve(redrive.get("deadLetterTargetArn")))
                    .put("maxReceiveCount", Integer.parseInt(intrinsics.resolve(redrive.get("maxReceiveCount"))))
                    .toString());
        }
        return attributes;
    }

    private CreateTableRequest tableDefinition(CfnResource table) {
        var request = CreateTableRequest.builder()
                .tableName(name(table, "TableName"))
                .attributeDefinitions(list(table.property("AttributeDefinitions")).stream().map(this::map)
                        .map(a -> AttributeDefinition.builder().attributeName(text(a, "AttributeName"))
                                .attributeType(text(a, "AttributeType")).build())
                        .toList())
                .keySchema(keySchema(table.property("KeySchema")));
        // Only when present: DynamoDB refuses an empty index list.
        var global = list(table.property("GlobalSecondaryIndexes")).stream().map(this::map)
                .map(index -> GlobalSecondaryIndex.builder().indexName(text(index, "IndexName"))
                        .keySchema(keySchema(index.get("KeySchema")))
                        .projection(projection(index.get("Projection")))
                        .provisionedThroughput(throughput(index.get("ProvisionedThroughput")))
                        .build())
                .toList();
        if (!global.isEmpty()) {
            request.globalSecondaryIndexes(global);
        }
        var local = list(table.property("LocalSecondaryIndexes")).stream().map(this::map)
                .map(index -> LocalSecondaryIndex.builder().indexName(text(index, "IndexName"))
                        .keySchema(keySchema(index.get("KeySchema")))
                        .projection(projection(index.get("Projection")))
                        .build())
                .toList();
        if (!local.isEmpty()) {
            request.localSecondaryIndexes(local);
        }
        Object billing = table.property("BillingMode");
        if (billing != null && intrinsics.resolve(billing).equals("PAY_PER_REQUEST")) {
            request.billingMode(BillingMode.PAY_PER_REQUEST);
        } else {
            request.billingMode(BillingMode.PROVISIONED)
                    .provisionedThroughput(throughput(table.property("ProvisionedThroughput")));
        }
        Map<String, Object> stream = map(table.property("StreamSpecification"));
        if (!stream.isEmpty()) {
            request.streamSpecification(StreamSpecification.builder()
                    .streamEnabled(true).streamViewType(text(stream, "StreamViewType")).build());
        }
        return request.build();
    }

    private Optional<String> timeToLiveAttribute(CfnResource table) {
        Map<String, Object> ttl = map(table.property("TimeToLiveSpecification"));
        if (ttl.isEmpty() || !"true".equalsIgnoreCase(intrinsics.resolve(ttl.getOrDefault("Enabled", "false")))) {
            return Optional.empty();
        }
        return Optional.of(text(ttl, "AttributeName"));
    }

    private List<KeySchemaElement> keySchema(Object raw) {
        return list(raw).stream().map(this::map)
                .map(key -> KeySchemaElement.builder().attributeName(text(key, "AttributeName"))
                        .keyType(text(key, "KeyType")).build())
                .toList();
    }

    private Projection projection(Object raw) {
        Map<String, Object> projection = map(raw);
        var builder = Projection.builder().projectionType(text(projection, "ProjectionType"));
        List<Object> nonKey = list(projection.get("NonKeyAttributes"));
        if (!nonKey.isEmpty()) {
            builder.nonKeyAttributes(nonKey.stream().map(intrinsics::resolve).toList());
        }
        return builder.build();
    }

    /** Provisioned capacity for PROVISIONED tables and their indexes; null (none) where the template gives none. */
    private ProvisionedThroughput throughput(Object raw) {
        Map<String, Object> throughput = map(raw);
        if (throughput.isEmpty()) {
            return null;
        }
        return ProvisionedThroughput.builder()
                .readCapacityUnits(Long.parseLong(text(throughput, "ReadCapacityUnits")))
                .writeCapacityUnits(Long.parseLong(text(throughput, "WriteCapacityUnits"))).build();
    }

    private String text(Map<String, Object> map, String key) {
        Object value = map.get(key);
        if (value == null) {
            throw new IllegalArgumentException("Missing " + key + " in " + map);
        }
        return intrinsics.resolve(value);
    }

    private Map<String, Object> map(Object raw) {
        if (raw == null) {
            return Map.of();
        }
        if (!(raw instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("Expected a mapping, got " + raw);
        }
        var result = new LinkedHashMap<String, Object>();
        map.forEach((key, value) -> result.put(String.valueOf(key), value));
        return result;
    }

    private static List<Object> list(Object raw) {
        if (raw == null) {
            return List.of();
        }
        if (!(raw instanceof List<?> list)) {
            throw new IllegalArgumentException("Expected a list, got " + raw);
        }
        return new ArrayList<>(list);
    }
}
