package io.jobway.notifier;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.jobway.fixtures.FakeLambdaContext;
import io.jobway.events.StreamBatch;
import io.jobway.events.StreamRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

/** A stream batch sent to the notifier as Lambda sends it: bytes from the runtime's serializer, read back by it. */
final class StreamBatches {
    private StreamBatches() {
    }

    static StreamsEventResponse send(NotifierFunction notifier, DynamodbEvent batch) {
        return send(notifier, json(batch));
    }

    static StreamsEventResponse send(NotifierFunction notifier, byte[] batch) {
        var out = new ByteArrayOutputStream();
        try {
            notifier.handleRequest(new ByteArrayInputStream(batch), out,
                    new FakeLambdaContext("jobway-NotifierFunction", Duration.ofSeconds(60)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return LambdaEventSerializers.serializerFor(StreamsEventResponse.class, StreamBatches.class.getClassLoader())
                .fromJson(new ByteArrayInputStream(out.toByteArray()));
    }

    /** The batch's records as the notifier reads them from the bytes Lambda sends. */
    static List<StreamRecord> records(DynamodbEvent batch) {
        try {
            return StreamBatch.read(new ByteArrayInputStream(json(batch)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] json(DynamodbEvent batch) {
        var json = new ByteArrayOutputStream();
        LambdaEventSerializers.serializerFor(DynamodbEvent.class, StreamBatches.class.getClassLoader())
                .toJson(batch, json);
        return json.toByteArray();
    }
}
