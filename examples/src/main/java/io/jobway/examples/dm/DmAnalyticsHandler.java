package io.jobway.examples.dm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobway.handler.JobContext;
import io.jobway.handler.JobHandler;
import io.jobway.handler.PermanentJobFailure;
import io.jobway.json.Json;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Job type {@code dm-analytics}, fired by a schedule at midnight in a time zone: counts what each account of that
 * zone sent on the day that just ended there. Payload {@code {"timezone": "America/New_York"}}.
 */
public final class DmAnalyticsHandler implements JobHandler {
    @Override
    public String type() {
        return "dm-analytics";
    }

    @Override
    public JsonNode handle(JobContext context) {
        ZoneId zone;
        try {
            zone = ZoneId.of(context.payload().path("timezone").asText());
        } catch (DateTimeException e) {
            throw new PermanentJobFailure("dm-analytics needs a payload {\"timezone\": \"<IANA zone>\"}");
        }
        LocalDate day = context.runAt().atZone(zone).toLocalDate().minusDays(1);
        ObjectNode result = Json.object().put("timezone", zone.getId()).put("date", day.toString());
        ObjectNode sent = result.putObject("sent");
        DmOutbox.shared().sentOn(zone, day).forEach(sent::put);
        return result;
    }
}
