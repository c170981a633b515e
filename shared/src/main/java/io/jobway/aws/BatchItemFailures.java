package io.jobway.aws;

import com.fasterxml.jackson.core.JsonGenerator;
import io.jobway.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * The partial batch response of an SQS or a stream event source, as Lambda reads it: the items to deliver again
 * ({@code {"batchItemFailures":[{"itemIdentifier":"..."}]}}), none when the whole batch succeeded.
 */
public final class BatchItemFailures {
    private BatchItemFailures() {
    }

    public static void write(List<String> itemIdentifiers, OutputStream out) throws IOException {
        try (JsonGenerator json = Json.factory().createGenerator(out)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)) { // the runtime's stream is the runtime's to close
            json.writeStartObject();
            json.writeArrayFieldStart("batchItemFailures");
            for (String id : itemIdentifiers) {
                json.writeStartObject();
                json.writeStringField("itemIdentifier", id);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }
}
