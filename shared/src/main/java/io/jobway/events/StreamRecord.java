package io.jobway.events;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One record of a DynamoDB stream batch: what Jobway uses of it. The key and the images are in the SDK's
 * {@link AttributeValue}s, the shape {@code JobItemMapper.fromItem} reads, every type kept ({@code S}, {@code N},
 * {@code B}, {@code SS}, {@code NS}, {@code BS}, {@code M}, {@code L}, {@code BOOL}, {@code NULL}). An image the
 * stream view does not carry (no old image of an INSERT) is null. A record that came without its {@code dynamodb}
 * section has no sequence number and no key.
 */
public record StreamRecord(String eventName, String sequenceNumber, Map<String, AttributeValue> keys,
                           Map<String, AttributeValue> newImage, Map<String, AttributeValue> oldImage) {
    public StreamRecord {
        keys = keys == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(keys));
        newImage = newImage == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(newImage));
        oldImage = oldImage == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(oldImage));
    }

    /** The text of a string key attribute ({@code jobId}), or null when the key has none. */
    public String key(String name) {
        AttributeValue value = keys.get(name);
        return value == null ? null : value.s();
    }
}
