package io.jobway.notifier;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Finds the job changes a client cares about in a stream record: a new status or new progress. */
final class ChangeDetector {
    record Change(String jobId, String tenantId, String status, String previousStatus, Integer progressPercent) {
    }

    Optional<Change> detect(DynamodbStreamRecord record) {
        Map<String, AttributeValue> now = record.getDynamodb().getNewImage();
        Map<String, AttributeValue> before = record.getDynamodb().getOldImage();
        if (now == null || !now.containsKey("status") || !now.containsKey("tenantId")) {
            return Optional.empty(); // a removal, a tombstone or another kind of item
        }
        String status = s(now, "status");
        String previous = before == null ? null : s(before, "status");
        AttributeValue progress = now.get("progress");
        AttributeValue previousProgress = before == null ? null : before.get("progress");
        if (Objects.equals(status, previous) && Objects.equals(progress, previousProgress)) {
            return Optional.empty(); // e.g. only the cancel flag or the sweeper's bookkeeping changed
        }
        return Optional.of(new Change(s(now, "jobId"), s(now, "tenantId"), status, previous, percent(now)));
    }

    private static String s(Map<String, AttributeValue> image, String name) {
        AttributeValue value = image.get(name);
        return value == null ? null : value.getS();
    }

    private static Integer percent(Map<String, AttributeValue> image) {
        AttributeValue progress = image.get("progress");
        if (progress == null || progress.getM() == null || progress.getM().get("percent") == null) {
            return null;
        }
        return Integer.valueOf(progress.getM().get("percent").getN());
    }
}
