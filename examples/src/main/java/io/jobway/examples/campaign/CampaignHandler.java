package io.jobway.examples.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobway.handler.JobContext;
import io.jobway.handler.JobHandler;
import io.jobway.handler.PermanentJobFailure;
import io.jobway.json.Json;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * Job type {@code campaign}: builds an outreach campaign in four steps — search for prospects matching the
 * audience, enrich each, score them, export the qualified ones as CSV — reporting progress after each step and
 * stopping at a step boundary when cancelled. Payload: {@code {"name", "audience", "size"?, "minScore"?,
 * "stepDelayMs"?}}; {@code stepDelayMs} stands in for the remote calls a real campaign makes at each step.
 */
public final class CampaignHandler implements JobHandler {
    static final int MAX_SIZE = 5_000;
    static final long MAX_STEP_DELAY_MS = 10_000;

    @Override
    public String type() {
        return "campaign";
    }

    @Override
    public JsonNode handle(JobContext context) throws InterruptedException {
        CampaignRequest request = CampaignRequest.from(context.payload());
        Duration stepDelay = Duration.ofMillis(request.stepDelayMs());

        context.progress(5, "search: looking for " + request.size() + " prospects in " + request.audience());
        List<Prospect> found = ProspectDirectory.search(request.audience(), request.size());
        step(context, stepDelay, 25, "search: found " + found.size() + " prospects");

        List<Prospect> enriched = found.stream().map(ProspectDirectory::enrich).toList();
        step(context, stepDelay, 50, "enrich: added company data to " + enriched.size() + " prospects");

        List<Prospect> scored = enriched.stream().map(Prospect::scored)
                .sorted(Comparator.comparingInt(Prospect::score).reversed().thenComparing(Prospect::email)).toList();
        List<Prospect> qualified = scored.stream().filter(p -> p.score() >= request.minScore()).toList();
        step(context, stepDelay, 75, "score: " + qualified.size() + " of " + scored.size() + " scored "
                + request.minScore() + " or more");

        String csv = CsvExport.of(qualified);
        step(context, stepDelay, 100, "export: wrote " + qualified.size() + " rows");
        return result(request, scored.size(), qualified, csv);
    }

    /** Waits out the step's remote work, reports it, and stops here if the user cancelled. */
    private static void step(JobContext context, Duration delay, int percent, String message)
            throws InterruptedException {
        Thread.sleep(delay);
        context.progress(percent, message);
        context.checkCancelled();
    }

    private static ObjectNode result(CampaignRequest request, int prospects, List<Prospect> qualified, String csv) {
        ObjectNode result = Json.object();
        result.put("campaign", request.name());
        result.put("prospects", prospects);
        result.put("qualified", qualified.size());
        ArrayNode top = result.putArray("top");
        qualified.stream().limit(5).forEach(p -> top.addObject().put("email", p.email()).put("company", p.company())
                .put("score", p.score()));
        result.put("csv", csv.length() <= 16_000 ? csv : csv.substring(0, csv.lastIndexOf('\n', 16_000) + 1));
        return result;
    }

    /** The validated payload. */
    record CampaignRequest(String name, String audience, int size, int minScore, long stepDelayMs) {
        static CampaignRequest from(JsonNode payload) {
            if (payload == null || !payload.isObject()) {
                throw new PermanentJobFailure("payload must be an object with 'name' and 'audience'");
            }
            String name = text(payload, "name");
            String audience = text(payload, "audience");
            int size = payload.path("size").asInt(50);
            int minScore = payload.path("minScore").asInt(60);
            long delay = payload.path("stepDelayMs").asLong(0);
            if (size < 1 || size > MAX_SIZE) {
                throw new PermanentJobFailure("'size' must be between 1 and " + MAX_SIZE + ", was " + size);
            }
            if (minScore < 0 || minScore > 100) {
                throw new PermanentJobFailure("'minScore' must be between 0 and 100, was " + minScore);
            }
            if (delay < 0 || delay > MAX_STEP_DELAY_MS) {
                throw new PermanentJobFailure("'stepDelayMs' must be between 0 and " + MAX_STEP_DELAY_MS);
            }
            return new CampaignRequest(name, audience, size, minScore, delay);
        }

        private static String text(JsonNode payload, String field) {
            JsonNode value = payload.get(field);
            if (value == null || !value.isTextual() || value.asText().isBlank()) {
                throw new PermanentJobFailure("'" + field + "' is required and must be a non-empty string");
            }
            return value.asText();
        }
    }
}
