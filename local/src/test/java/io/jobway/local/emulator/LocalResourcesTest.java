package io.jobway.local.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.jobway.json.Json;
import io.jobway.local.template.CfnTemplate;
import io.jobway.local.template.Intrinsics;
import io.jobway.local.template.StackContext;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class LocalResourcesTest {
    static final CfnTemplate TEMPLATE = CfnTemplate.load(Path.of("..", "template.yaml"));
    private static Emulators emulators;
    private static ResourceRegistry created;

    @BeforeAll
    static void createTheTemplatesResources() {
        emulators = Emulators.inMemory();
        created = LocalResources.of(TEMPLATE, emulators.sqs, emulators.dynamo).createAll();
    }

    @AfterAll
    static void stop() {
        emulators.close();
    }

    @Test
    void every_queue_and_table_of_the_template_exists_under_a_stack_prefixed_name() {
        assertThat(created.queues().values()).extracting(ResourceRegistry.Queue::name).containsExactlyInAnyOrder(
                "jobway-local-JobsQueue", "jobway-local-JobsHighQueue", "jobway-local-JobsLowQueue",
                "jobway-local-JobsDeadLetterQueue", "jobway-local-NotifierFailureQueue",
                "jobway-local-WebhookQueue", "jobway-local-WebhookDeadLetterQueue");
        assertThat(emulators.dynamo.listTables().tableNames()).containsExactlyInAnyOrder(
                "jobway-local-JobsTable", "jobway-local-IdempotencyTable", "jobway-local-ApiKeysTable",
                "jobway-local-ConnectionsTable", "jobway-local-WebhookSecretsTable", "jobway-local-DeliveriesTable",
                "jobway-local-HookSourcesTable", "jobway-local-LimitsTable", "jobway-local-SchedulesTable",
                "jobway-local-DeadLettersTable", "jobway-local-SigningKeysTable");
    }

    @Test
    void the_jobs_queue_hides_a_message_for_5400_seconds_and_redrives_to_the_dead_letter_queue_after_50_receives() {
        var attributes = emulators.sqs.getQueueAttributes(b -> b.queueUrl(created.queue("JobsQueue").url())
                .attributeNames(QueueAttributeName.ALL)).attributes();

        assertThat(attributes.get(QueueAttributeName.VISIBILITY_TIMEOUT)).isEqualTo("5400");
        var redrive = Json.parse(attributes.get(QueueAttributeName.REDRIVE_POLICY));
        assertThat(redrive.get("deadLetterTargetArn").asText()).isEqualTo(created.queue("JobsDeadLetterQueue").arn());
        assertThat(redrive.get("maxReceiveCount").asInt()).isEqualTo(50);
    }

    @Test
    void the_jobs_table_is_on_demand_with_a_keys_only_tenant_index_a_full_due_index_a_stream_and_ttl() {
        TableDescription table = emulators.dynamo.describeTable(b -> b.tableName("jobway-local-JobsTable")).table();

        assertThat(table.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
        assertThat(table.globalSecondaryIndexes()).extracting(GlobalSecondaryIndexDescription::indexName,
                        index -> index.projection().projectionType())
                .containsExactlyInAnyOrder(
                        tuple("byTenant", ProjectionType.KEYS_ONLY),
                        tuple("byDue", ProjectionType.ALL));
        assertThat(table.streamSpecification().streamViewType()).isEqualTo(StreamViewType.NEW_AND_OLD_IMAGES);
        assertThat(created.table("JobsTable").streamArn()).contains(table.latestStreamArn());
        var ttl = emulators.dynamo.describeTimeToLive(b -> b.tableName(table.tableName())).timeToLiveDescription();
        assertThat(ttl.timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
        assertThat(ttl.attributeName()).isEqualTo("expiresAt");
    }

    @Test
    void creating_again_creates_nothing_new_and_finds_the_same_resources() {
        ResourceRegistry again = LocalResources.of(TEMPLATE, emulators.sqs, emulators.dynamo).createAll();

        assertThat(again.queues()).isEqualTo(created.queues());
        assertThat(again.tables()).isEqualTo(created.tables());
        assertThat(emulators.sqs.listQueues().queueUrls()).hasSize(7);
        assertThat(emulators.dynamo.listTables().tableNames()).hasSize(11);
    }

    @Test
    void a_message_sent_to_the_url_the_worker_is_configured_with_is_received() {
        var workerEnvironment = new Intrinsics(TEMPLATE.parameterDefaults(), StackContext.LOCAL, created)
                .resolveAll(TEMPLATE.function("WorkerFunction").environment());
        String queueUrl = workerEnvironment.get("JOBS_QUEUE_URL");

        emulators.sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("{\"jobId\":\"j-1\"}"));
        var received = emulators.sqs.receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(5)).messages();

        assertThat(received).singleElement().satisfies(m -> assertThat(m.body()).isEqualTo("{\"jobId\":\"j-1\"}"));
        emulators.sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(received.get(0).receiptHandle()));
    }

    @Test
    void an_item_put_in_the_jobs_table_is_read_back_and_appears_on_its_stream() {
        String table = created.table("JobsTable").name();
        var item = Map.of("jobId", AttributeValue.fromS("job-stream-1"), "tenantId", AttributeValue.fromS("t-1"),
                "status", AttributeValue.fromS("QUEUED"));

        emulators.dynamo.putItem(b -> b.tableName(table).item(item));

        assertThat(emulators.dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("jobId", AttributeValue.fromS("job-stream-1")))).item()).isEqualTo(item);
        String streamArn = created.table("JobsTable").streamArn().orElseThrow();
        var shards = emulators.streams.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards();
        var records = shards.stream().flatMap(shard -> {
            String iterator = emulators.streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            return emulators.streams.getRecords(b -> b.shardIterator(iterator)).records().stream();
        }).toList();
        assertThat(records).anySatisfy(record -> {
            assertThat(record.eventName()).isEqualTo(OperationType.INSERT);
            assertThat(record.dynamodb().keys()).containsEntry("jobId", AttributeValue.fromS("job-stream-1"));
            assertThat(record.dynamodb().newImage()).containsKey("status");
        });
    }

    @Test
    void a_message_received_more_than_max_receive_count_times_moves_to_the_dead_letter_queue_it_was_resolved_to() {
        CfnTemplate template = CfnTemplate.parse("""
                Resources:
                  Work:
                    Type: AWS::SQS::Queue
                    Properties:
                      VisibilityTimeout: 0
                      RedrivePolicy: { deadLetterTargetArn: !GetAtt Dead.Arn, maxReceiveCount: 2 }
                  Dead:
                    Type: AWS::SQS::Queue
                """, "redrive.yaml");
        var stack = new StackContext("redrive", StackContext.LOCAL.region(), StackContext.LOCAL.accountId());
        ResourceRegistry queues = new LocalResources(template, Map.of(), stack, emulators.sqs, emulators.dynamo).createAll();
        String work = queues.queue("Work").url();

        emulators.sqs.sendMessage(b -> b.queueUrl(work).messageBody("poison"));
        for (int receive = 1; receive <= 2; receive++) {
            assertThat(emulators.sqs.receiveMessage(b -> b.queueUrl(work).waitTimeSeconds(1)).messages()).hasSize(1);
        }
        assertThat(emulators.sqs.receiveMessage(b -> b.queueUrl(work).waitTimeSeconds(1)).messages()).isEmpty();

        var dead = emulators.sqs.receiveMessage(b -> b.queueUrl(queues.queue("Dead").url()).waitTimeSeconds(2)).messages();
        assertThat(dead).singleElement().satisfies(m -> assertThat(m.body()).isEqualTo("poison"));
    }
}
