package io.jobway.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.json.Json;
import java.io.IOException;
import java.io.InputStream;

/** An EventBridge scheduled event ({@code rate(...)} rule): which rule fired and when, as the event says. */
public record ScheduledEvent(String detailType, String time) {
    /** Reads the event; anything but a JSON object is refused. */
    public static ScheduledEvent read(InputStream event) throws IOException {
        JsonNode root = Json.readObject(event, "a scheduled event");
        return new ScheduledEvent(Json.text(root, "detail-type"), Json.text(root, "time"));
    }
}
