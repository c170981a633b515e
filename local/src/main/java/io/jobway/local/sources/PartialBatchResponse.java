package io.jobway.local.sources;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.json.Json;
import java.util.ArrayList;
import java.util.List;

/** A function's partial batch response (SQS or stream), read as Lambda reads it. */
final class PartialBatchResponse {
    private PartialBatchResponse() {
    }

    /** The item identifiers to deliver again, in order; none when the answer is empty or lists none. */
    static List<String> failedItems(String answer) {
        JsonNode failures = answer.isBlank() ? null : Json.parse(answer).path("batchItemFailures");
        List<String> items = new ArrayList<>();
        if (failures != null && failures.isArray()) {
            failures.forEach(failure -> items.add(failure.path("itemIdentifier").asText()));
        }
        return items;
    }
}
