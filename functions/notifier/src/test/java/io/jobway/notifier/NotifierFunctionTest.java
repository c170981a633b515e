package io.jobway.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import io.jobway.fixtures.LambdaEvents;
import io.jobway.notifier.ChangeDetector.Change;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The notifier fed the sample stream events exactly as Lambda's runtime deserializes them. */
class NotifierFunctionTest {
    private static final String JOB = "019ca944-3328-76ba-a4a4-f7a3c88b2875";

    private final List<String> published = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<io.jobway.notify.WebhookMessage> webhooks = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final NotifierFunction notifier = new NotifierFunction((tenant, job, tags, event) -> published.add(event),
            webhooks::add);
    private final ChangeDetector detector = new ChangeDetector();

    @Test
    void the_stream_sample_reads_as_lambda_reads_it() {
        DynamodbEvent event = LambdaEvents.load("notifier-status-change.json", DynamodbEvent.class);

        DynamodbStreamRecord record = event.getRecords().get(0);
        assertThat(record.getEventName()).isEqualTo("MODIFY");
        assertThat(record.getEventSourceARN()).startsWith("arn:aws:dynamodb:us-east-1:123456789012:table/");
        assertThat(record.getDynamodb().getKeys().get("jobId").getS()).isEqualTo(JOB);
        assertThat(record.getDynamodb().getNewImage().get("attempt").getN()).isEqualTo("1");
        assertThat(record.getDynamodb().getSequenceNumber()).isEqualTo("4421584500000000017450439091");
        assertThat(record.getDynamodb().getApproximateCreationDateTime().toInstant())
                .as("epoch seconds, not milliseconds").isEqualTo(Instant.parse("2026-03-01T12:00:00Z"));
    }

    @Test
    void a_status_change_is_found_with_its_previous_status() {
        DynamodbEvent event = LambdaEvents.load("notifier-status-change.json", DynamodbEvent.class);

        assertThat(StreamBatches.records(event)).map(detector::detect).containsExactly(
                java.util.Optional.of(new Change(JOB, "tenant-sample", "running", "queued", null)),
                java.util.Optional.of(new Change(JOB, "tenant-sample", "succeeded", "running", 60)));
        assertThat(handle(event).getBatchItemFailures()).isEmpty();
    }

    @Test
    void each_change_is_published_in_stream_order_as_the_jobs_state_without_its_payload() {
        handle(LambdaEvents.load("notifier-status-change.json", DynamodbEvent.class));

        assertThat(published).hasSize(2);
        var first = io.jobway.json.Json.parse(published.get(0));
        var second = io.jobway.json.Json.parse(published.get(1));
        assertThat(first.get("jobId").asText()).isEqualTo(JOB);
        assertThat(first.get("status").asText()).isEqualTo("running");
        assertThat(second.get("status").asText()).isEqualTo("succeeded");
        assertThat(second.has("payload")).isFalse();
        assertThat(second.get("attempt").asInt()).isEqualTo(1);
    }

    @Test
    void a_job_that_finished_with_a_callback_url_gets_one_webhook_queued_with_a_stable_id() {
        DynamodbEvent event = LambdaEvents.load("notifier-status-change.json", DynamodbEvent.class);
        event.getRecords().forEach(r -> r.getDynamodb().getNewImage()
                .put("callbackUrl", new AttributeValue().withS("https://hooks.example.com/jobway")));

        handle(event);

        assertThat(webhooks).singleElement().satisfies(webhook -> {
            assertThat(webhook.url()).isEqualTo("https://hooks.example.com/jobway");
            assertThat(webhook.webhookId()).startsWith("msg_" + JOB + "_");
            var body = io.jobway.json.Json.parse(webhook.body());
            assertThat(body.get("type").asText()).isEqualTo("job.succeeded");
            assertThat(body.get("data").get("jobId").asText()).isEqualTo(JOB);
        });
    }

    @Test
    void a_job_without_a_callback_url_gets_no_webhook() {
        handle(LambdaEvents.load("notifier-status-change.json", DynamodbEvent.class));

        assertThat(webhooks).isEmpty();
    }

    @Test
    void a_tombstone_publishes_nothing() {
        handle(LambdaEvents.load("notifier-tombstone-insert.json", DynamodbEvent.class));

        assertThat(published).isEmpty();
    }

    @Test
    void a_progress_change_is_found_with_the_new_percentage() {
        DynamodbEvent event = LambdaEvents.load("notifier-progress-change.json", DynamodbEvent.class);

        assertThat(detector.detect(StreamBatches.records(event).getFirst()))
                .contains(new Change(JOB, "tenant-sample", "running", "running", 60));
        assertThat(handle(event).getBatchItemFailures()).isEmpty();
    }

    @Test
    void a_tombstone_insert_is_no_change_to_report() {
        DynamodbEvent event = LambdaEvents.load("notifier-tombstone-insert.json", DynamodbEvent.class);

        assertThat(event.getRecords().get(0).getDynamodb().getNewImage().get("tombstone").getBOOL()).isTrue();
        assertThat(detector.detect(StreamBatches.records(event).getFirst())).isEmpty();
        assertThat(handle(event).getBatchItemFailures()).isEmpty();
    }

    @Test
    void a_write_that_changes_neither_status_nor_progress_is_no_change() {
        DynamodbStreamRecord record = LambdaEvents.load("notifier-status-change.json", DynamodbEvent.class)
                .getRecords().get(0);
        Map<String, AttributeValue> heartbeat = new HashMap<>(record.getDynamodb().getNewImage());
        heartbeat.put("leaseUntil", new AttributeValue().withN("1772366520000"));
        record.getDynamodb().setOldImage(record.getDynamodb().getNewImage());
        record.getDynamodb().setNewImage(heartbeat);

        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(List.of(record));
        assertThat(detector.detect(StreamBatches.records(event).getFirst())).isEmpty();
    }

    @Test
    void a_record_that_cannot_be_read_is_reported_and_the_batch_stops_there() {
        DynamodbStreamRecord good = LambdaEvents.load("notifier-status-change.json", DynamodbEvent.class)
                .getRecords().get(0);
        DynamodbStreamRecord bad = LambdaEvents.load("notifier-progress-change.json", DynamodbEvent.class)
                .getRecords().get(0);
        bad.getDynamodb().getNewImage().put("progress",
                new AttributeValue().withM(Map.of("percent", new AttributeValue().withS("sixty"))));
        DynamodbStreamRecord after = LambdaEvents.load("notifier-status-change.json", DynamodbEvent.class)
                .getRecords().get(1);
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(List.of(good, bad, after));

        StreamsEventResponse response = handle(event);

        assertThat(response.getBatchItemFailures()).extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly(bad.getDynamodb().getSequenceNumber());
    }

    @Test
    void a_record_without_its_dynamodb_section_is_only_logged_and_the_batch_goes_on() {
        DynamodbStreamRecord bare = new DynamodbStreamRecord();
        bare.setEventName("MODIFY");
        DynamodbStreamRecord change = LambdaEvents.load("notifier-status-change.json", DynamodbEvent.class)
                .getRecords().get(0);
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(List.of(bare, change));

        StreamsEventResponse response = handle(event);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(published).hasSize(1);
    }

    private StreamsEventResponse handle(DynamodbEvent event) {
        return StreamBatches.send(notifier, event);
    }
}
