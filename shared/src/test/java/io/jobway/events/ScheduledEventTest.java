package io.jobway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.jobway.fixtures.LambdaEvents;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The sweeper's trigger, read as Lambda's runtime serializer reads it. */
class ScheduledEventTest {

    @Test
    void reads_the_sample_schedule_event_as_the_runtime_serializer_does() throws IOException {
        io.jobway.events.ScheduledEvent ours;
        try (InputStream in = Files.newInputStream(LambdaEvents.path("sweeper-schedule.json"))) {
            ours = io.jobway.events.ScheduledEvent.read(in);
        }
        ScheduledEvent theRuntimes = LambdaEvents.load("sweeper-schedule.json", ScheduledEvent.class);

        assertThat(ours.detailType()).isEqualTo(theRuntimes.getDetailType()).isEqualTo("Scheduled Event");
        assertThat(ours.time()).isNotNull();
        assertThat(java.time.Instant.parse(ours.time()).toEpochMilli())
                .isEqualTo(theRuntimes.getTime().getMillis());
    }

    @Test
    void refuses_an_event_that_is_not_a_json_object() {
        assertThatThrownBy(() -> io.jobway.events.ScheduledEvent.read(
                new ByteArrayInputStream("[]".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a scheduled event: expected a JSON object");
    }
}
