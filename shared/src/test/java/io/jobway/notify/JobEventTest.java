package io.jobway.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.fixtures.Jobs;
import io.jobway.job.Job;
import io.jobway.json.Json;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Events stay small: a job's error goes out as its message and type, never its stack, and no attempt history. */
class JobEventTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void theWebSocketEvent_carriesTheErrorWithoutItsStack_andNoAttempts() {
        Job job = Jobs.aJobWithEveryField(NOW).build();

        JsonNode event = Json.parse(JobEvent.toJson(job));

        assertThat(job.lastError().stack()).isNotNull();
        assertThat(event.get("error").properties()).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("message", "type");
        assertThat(event.has("attempts")).isFalse();
    }

    @Test
    void theWebhook_carriesTheErrorWithoutItsStack_andNoAttempts() {
        Job dead = Jobs.aDeadJob(NOW).lastError(Jobs.aJobWithEveryField(NOW).build().lastError()).build();

        JsonNode data = Json.parse(JobEvent.webhookBody(dead)).get("data");

        assertThat(data.get("error").properties()).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("message", "type");
        assertThat(data.has("attempts")).isFalse();
    }

    @Test
    void theWebSocketEvent_namesTheJobsTags_anEmptyArrayForNone() {
        JsonNode tagged = Json.parse(JobEvent.toJson(Jobs.aQueuedJob(NOW).tags("user:42", "b").build()));
        JsonNode untagged = Json.parse(JobEvent.toJson(Jobs.aQueuedJob(NOW).build()));

        assertThat(tagged.get("tags")).isEqualTo(Json.parse("[\"user:42\",\"b\"]"));
        assertThat(untagged.get("tags").isArray()).isTrue();
        assertThat(untagged.get("tags")).isEmpty();
    }
}
