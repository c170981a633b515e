package io.jobway.local.template;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of the template's {@code Resources}: its logical id, its type ({@code AWS::SQS::Queue}) and its
 * raw properties (maps, lists, strings and intrinsic functions in their long form).
 */
public record CfnResource(String logicalId, String type, Map<String, Object> properties) {
    public CfnResource {
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /** A property as written in the template, or null when it is absent. */
    public Object property(String name) {
        return properties.get(name);
    }
}
