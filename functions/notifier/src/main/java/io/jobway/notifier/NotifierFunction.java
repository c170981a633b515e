package io.jobway.notifier;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.jobway.aws.Clients;
import io.jobway.aws.Config;
import io.jobway.obs.Log;
import java.util.ArrayList;
import java.util.List;

/**
 * DynamoDB Streams -> notifications. For now it logs each status or progress change it would push
 * (WebSocket and webhooks come with the realtime work). A record that fails stops the batch there and is
 * reported, so Lambda retries from it (bisect and the on-failure destination are set in template.yaml).
 */
public final class NotifierFunction implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
    private final ChangeDetector detector = new ChangeDetector();

    public NotifierFunction() {
    }

    /** The local runtime's constructor, the same for every function; the notifier reads no variables yet. */
    public NotifierFunction(Config config, Clients clients) {
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        for (DynamodbEvent.DynamodbStreamRecord record : event.getRecords() == null
                ? List.<DynamodbEvent.DynamodbStreamRecord>of() : event.getRecords()) {
            try {
                detector.detect(record).ifPresent(change -> Log.info("notify.would-send",
                        "jobId", change.jobId(), "tenant", change.tenantId(), "status", change.status(),
                        "previousStatus", change.previousStatus(), "progress", change.progressPercent()));
            } catch (RuntimeException e) {
                String sequence = record.getDynamodb() == null ? null : record.getDynamodb().getSequenceNumber();
                Log.error("notify.record-failed", "sequenceNumber", sequence, "error", e.toString());
                if (sequence == null) {
                    continue; // a record without a stream section cannot be retried by itself; it is only logged
                }
                failures.add(new StreamsEventResponse.BatchItemFailure(sequence));
                break;
            }
        }
        return new StreamsEventResponse(failures);
    }
}
