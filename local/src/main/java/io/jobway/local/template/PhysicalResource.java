package io.jobway.local.template;

import java.util.Map;

/**
 * A template resource that exists somewhere (an emulator, LocalStack, AWS): what {@code Ref} gives for it
 * and the attributes {@code Fn::GetAtt} can read ({@code Arn}, {@code QueueUrl}, {@code StreamArn}, ...).
 */
public record PhysicalResource(String logicalId, String type, String ref, Map<String, String> attributes) {
    public PhysicalResource {
        attributes = Map.copyOf(attributes);
    }
}
