package io.jobway.examples.dm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobway.handler.JobContext;
import io.jobway.handler.JobHandler;
import io.jobway.json.Json;
import java.util.Map;

/**
 * Job type {@code dm-drain}, fired by a schedule every 15 minutes: sends what is due by the fire time
 * ({@link JobContext#runAt}), each account within its daily limit, in priority order ({@link DmOutbox#drain}). What
 * the limit leaves over stays in the outbox for the next drains, and the next day's.
 */
public final class DmDrainHandler implements JobHandler {
    /** The stand-in both this and {@link PostHandler} call, as one LinkedIn client would be; tests read it. */
    public static final LinkedInStandIn LINKEDIN = new LinkedInStandIn();

    @Override
    public String type() {
        return "dm-drain";
    }

    @Override
    public JsonNode handle(JobContext context) {
        Map<String, Integer> sent = DmOutbox.shared().drain(context.runAt(), LINKEDIN);
        ObjectNode result = Json.object().put("at", context.runAt().toString());
        ObjectNode perAccount = result.putObject("sent");
        sent.forEach(perAccount::put);
        result.put("stillWaiting", DmOutbox.shared().waitingCount());
        return result;
    }
}
