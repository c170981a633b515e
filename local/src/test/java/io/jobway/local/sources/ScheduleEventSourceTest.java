package io.jobway.local.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.jobway.local.lambda.LocalFunction;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ScheduleEventSourceTest {
    @Test
    void rate_expressions_of_the_template_are_understood() {
        assertThat(ScheduleEventSource.parse("rate(1 minute)")).isEqualTo(Duration.ofMinutes(1));
        assertThat(ScheduleEventSource.parse("rate(5 minutes)")).isEqualTo(Duration.ofMinutes(5));
        assertThat(ScheduleEventSource.parse("rate(2 hours)")).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void a_cron_expression_is_refused_with_a_message_naming_it() {
        assertThatThrownBy(() -> ScheduleEventSource.parse("cron(0 12 * * ? *)"))
                .hasMessageContaining("cron(0 12 * * ? *)");
    }

    @Test
    void firing_sends_the_function_an_eventbridge_scheduled_event() {
        List<Map<String, Object>> events = new CopyOnWriteArrayList<>();
        RequestHandler<Map<String, Object>, Object> handler = (Map<String, Object> event, Context context) -> {
            events.add(event);
            return null;
        };
        ScheduleEventSource schedule = new ScheduleEventSource("rate(1 minute)", "every-minute",
                LocalFunction.of("Sweeper", 60, new MapHandler(handler)));

        schedule.fire();

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.get("detail-type")).isEqualTo("Scheduled Event");
            assertThat(e.get("source")).isEqualTo("aws.events");
            assertThat((List<?>) e.get("resources")).singleElement().asString().endsWith("rule/every-minute");
        });
    }

    /** A named class, so the runtime's input type (Map) can be read off its RequestHandler interface. */
    record MapHandler(RequestHandler<Map<String, Object>, Object> delegate)
            implements RequestHandler<Map<String, Object>, Object> {
        @Override
        public Object handleRequest(Map<String, Object> input, Context context) {
            return delegate.handleRequest(input, context);
        }
    }
}
