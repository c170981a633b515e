package io.jobway.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Every sample event belongs to a function of template.yaml, so the package tests feed each of them. */
class SampleEventsTest {
    private final Lambda lambda = Lambda.shared();

    @Test
    void every_function_of_the_template_has_sample_events_and_every_event_has_its_function() {
        assertThat(Lambda.EVENT_PREFIXES.keySet()).containsExactlyInAnyOrderElementsOf(lambda.stack.functionNames());
        assertThat(Lambda.EVENT_PREFIXES.keySet()).allSatisfy(function -> assertThat(lambda.eventsOf(function)).isNotEmpty());
        assertThat(lambda.eventFiles("")).allSatisfy(file -> assertThat(Lambda.EVENT_PREFIXES.values())
                .as("the function of events/%s", file).anyMatch(file::startsWith));
    }
}
