package io.jobway.bench;

import io.jobway.local.emulator.EmbeddedDynamo;
import io.jobway.local.emulator.EmulatorClients;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * The floor under realtime latency on this machine: how long DynamoDB Local takes from a PutItem to the
 * record being readable from its stream, polling as fast as it answers. Usage: {@code ./jobway bench streams}.
 */
public final class StreamFloorBench {
    public static void main(String[] args) throws Exception {
        int writes = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        try (EmbeddedDynamo dynamo = EmbeddedDynamo.startInMemory(0);
             var client = EmulatorClients.dynamo(dynamo.endpoint());
             var streams = EmulatorClients.streams(dynamo.endpoint())) {
            String arn = client.createTable(b -> b.tableName("floor").billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("id")
                            .attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                    .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)))
                    .tableDescription().latestStreamArn();
            client.putItem(b -> b.tableName("floor").item(Map.of("id", AttributeValue.fromS("warm-up"))));
            String shard = streams.describeStream(b -> b.streamArn(arn)).streamDescription().shards().get(0).shardId();
            String start = streams.getShardIterator(b -> b.streamArn(arn).shardId(shard)
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            String iterator = streams.getRecords(b -> b.shardIterator(start)).nextShardIterator();
            List<Long> lags = new ArrayList<>();
            List<Long> getRecordsMs = new ArrayList<>();
            for (int i = 0; i < writes; i++) {
                String id = "item-" + i;
                long written = System.nanoTime();
                client.putItem(b -> b.tableName("floor").item(Map.of("id", AttributeValue.fromS(id))));
                boolean seen = false;
                while (!seen) {
                    long before = System.nanoTime();
                    String current = iterator;
                    var response = streams.getRecords(b -> b.shardIterator(current));
                    getRecordsMs.add((System.nanoTime() - before) / 1_000_000);
                    iterator = response.nextShardIterator();
                    seen = response.records().stream().anyMatch(r -> r.dynamodb().keys().get("id").s().equals(id));
                }
                lags.add((System.nanoTime() - written) / 1_000_000);
            }
            System.out.println(RealtimeLatencyBench.summary("put -> readable", lags));
            System.out.println(RealtimeLatencyBench.summary("one GetRecords call", getRecordsMs));
        }
    }
}
