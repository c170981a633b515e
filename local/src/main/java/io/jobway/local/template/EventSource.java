package io.jobway.local.template;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of a function's {@code Events}: its name in the template, its SAM type ({@code SQS},
 * {@code DynamoDB}, {@code Schedule}, {@code HttpApi}, ...) and its raw properties.
 */
public record EventSource(String name, String type, Map<String, Object> properties) {
    public static final String SQS = "SQS";
    public static final String DYNAMODB = "DynamoDB";
    public static final String SCHEDULE = "Schedule";
    public static final String HTTP_API = "HttpApi";

    public EventSource {
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /** A property as written in the template, or null when it is absent. */
    public Object property(String name) {
        return properties.get(name);
    }
}
