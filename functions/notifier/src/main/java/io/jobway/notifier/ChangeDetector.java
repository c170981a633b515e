package io.jobway.notifier;

import io.jobway.events.StreamRecord;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Finds the job changes a client cares about in a stream record: a new status or new progress. */
final class ChangeDetector {
    record Change(String jobId, String tenantId, String status, String previousStatus, Integer progressPercent) {
    }

    Optional<Change> detect(StreamRecord record) {
        if (record.sequenceNumber() == null) {
            throw new IllegalArgumentException("a stream record without its dynamodb section: no change to read");
        }
        Map<String, AttributeValue> now = record.newImage();
        Map<String, AttributeValue> before = record.oldImage();
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
        return value == null ? null : value.s();
    }

    private static Integer percent(Map<String, AttributeValue> image) {
        AttributeValue progress = image.get("progress");
        if (progress == null || !progress.hasM() || progress.m().get("percent") == null) {
            return null;
        }
        return Integer.valueOf(progress.m().get("percent").n());
    }
}
