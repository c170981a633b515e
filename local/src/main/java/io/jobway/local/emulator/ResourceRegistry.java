package io.jobway.local.emulator;

import io.jobway.local.template.PhysicalResource;
import io.jobway.local.template.ResourceLookup;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The queues and tables that exist for a template's logical ids, with what Ref and Fn::GetAtt read from them.
 * {@link LocalResources} fills it; everything else reads it.
 */
public final class ResourceRegistry implements ResourceLookup {
    public static final String QUEUE_TYPE = "AWS::SQS::Queue";
    public static final String TABLE_TYPE = "AWS::DynamoDB::Table";

    /** Ref gives the URL; GetAtt gives Arn, QueueUrl and QueueName. */
    public record Queue(String logicalId, String name, String url, String arn) {
        PhysicalResource physical() {
            return new PhysicalResource(logicalId, QUEUE_TYPE, url, Map.of("Arn", arn, "QueueUrl", url, "QueueName", name));
        }
    }

    /** Ref gives the name; GetAtt gives Arn and, when the table has a stream, StreamArn. */
    public record Table(String logicalId, String name, String arn, Optional<String> streamArn) {
        PhysicalResource physical() {
            var attributes = new LinkedHashMap<String, String>();
            attributes.put("Arn", arn);
            streamArn.ifPresent(stream -> attributes.put("StreamArn", stream));
            return new PhysicalResource(logicalId, TABLE_TYPE, name, attributes);
        }
    }

    private final Map<String, Queue> queues = new LinkedHashMap<>();
    private final Map<String, Table> tables = new LinkedHashMap<>();

    void add(Queue queue) {
        queues.put(queue.logicalId(), queue);
    }

    void add(Table table) {
        tables.put(table.logicalId(), table);
    }

    public Map<String, Queue> queues() {
        return Collections.unmodifiableMap(queues);
    }

    public Map<String, Table> tables() {
        return Collections.unmodifiableMap(tables);
    }

    public Queue queue(String logicalId) {
        return Optional.ofNullable(queues.get(logicalId)).orElseThrow(() ->
                new IllegalArgumentException("No queue " + logicalId + " was created (queues: " + queues.keySet() + ")"));
    }

    public Table table(String logicalId) {
        return Optional.ofNullable(tables.get(logicalId)).orElseThrow(() ->
                new IllegalArgumentException("No table " + logicalId + " was created (tables: " + tables.keySet() + ")"));
    }

    public boolean contains(String logicalId) {
        return queues.containsKey(logicalId) || tables.containsKey(logicalId);
    }

    @Override
    public Optional<PhysicalResource> find(String logicalId) {
        return Optional.ofNullable(queues.get(logicalId)).map(Queue::physical)
                .or(() -> Optional.ofNullable(tables.get(logicalId)).map(Table::physical));
    }
}
