package io.jobway.events;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The partial batch response of an SQS or a stream event source ({@code ReportBatchItemFailures}): the items to
 * deliver again, {@code {"batchItemFailures":[{"itemIdentifier":"..."}]}}, none when the whole batch succeeded. For
 * SQS an item is a message id; for a stream, the sequence number Lambda delivers again from.
 */
public record BatchItemFailures(List<String> itemIdentifiers) {
    public BatchItemFailures {
        itemIdentifiers = List.copyOf(itemIdentifiers);
    }

    public static BatchItemFailures none() {
        return new BatchItemFailures(List.of());
    }

    /** Writes the response as Lambda reads it. */
    public void write(OutputStream out) throws IOException {
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

    /**
     * A function's answer read as Lambda reads it (the local runtime's event sources do): an empty answer, or one
     * without {@code batchItemFailures}, asks for nothing again.
     */
    public static BatchItemFailures read(String answer) {
        JsonNode failures = answer == null || answer.isBlank() ? null : Json.parse(answer).path("batchItemFailures");
        List<String> items = new ArrayList<>();
        if (failures != null && failures.isArray()) {
            failures.forEach(failure -> items.add(failure.path("itemIdentifier").asText()));
        }
        return new BatchItemFailures(items);
    }
}
