package io.jobway.local.template;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the local runtime needs to run one {@code AWS::Serverless::Function} as Lambda would, with the
 * template's {@code Globals.Function} already applied (the function's own values win).
 *
 * @param environment the environment variables as raw CloudFormation values: resolve them with {@link Intrinsics}
 *                    once the resources exist
 * @param events      the function's event sources, by their name in the template
 */
public record FunctionSpec(
        String logicalId,
        String handler,
        int timeoutSeconds,
        int memoryMb,
        Map<String, Object> environment,
        Map<String, EventSource> events) {

    public FunctionSpec {
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        events = Collections.unmodifiableMap(new LinkedHashMap<>(events));
    }

    /** The event sources of one SAM type ({@link EventSource#SQS}, {@link EventSource#HTTP_API}, ...), by name. */
    public List<EventSource> eventsOfType(String type) {
        return events.values().stream()
                .filter(event -> event.type().equals(type))
                .sorted((a, b) -> a.name().compareTo(b.name()))
                .toList();
    }

    public List<EventSource> sqsEvents() {
        return eventsOfType(EventSource.SQS);
    }

    public List<EventSource> dynamoDbEvents() {
        return eventsOfType(EventSource.DYNAMODB);
    }

    public List<EventSource> scheduleEvents() {
        return eventsOfType(EventSource.SCHEDULE);
    }

    public List<EventSource> httpApiEvents() {
        return eventsOfType(EventSource.HTTP_API);
    }
}
