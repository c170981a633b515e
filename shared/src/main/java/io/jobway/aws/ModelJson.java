package io.jobway.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallLocation;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;
import software.amazon.awssdk.utils.builder.Buildable;

/**
 * An SDK model object as the body of the AWS JSON protocol, both ways. Each model class lists its members with
 * their wire names and types ({@link SdkPojo#sdkFields()}); the SDK's own JSON marshaller walks the same list,
 * so the bodies match it (ModelJsonTest compares them).
 */
final class ModelJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ModelJson() {
    }

    static ObjectNode write(SdkPojo pojo) {
        ObjectNode node = NODES.objectNode();
        for (SdkField<?> field : pojo.sdkFields()) {
            if (field.location() == MarshallLocation.PAYLOAD) {
                JsonNode value = write(field, field.getValueOrDefault(pojo));
                if (value != null) {
                    node.set(field.locationName(), value);
                }
            }
        }
        return node;
    }

    /** One member's value; null when it is unset (the SDK's empty auto-constructed lists and maps are unset). */
    private static JsonNode write(SdkField<?> field, Object value) {
        if (value == null || value instanceof SdkAutoConstructList || value instanceof SdkAutoConstructMap) {
            return null;
        }
        return switch (field.marshallingType().getKnownType()) {
            case STRING -> NODES.textNode((String) value);
            case INTEGER -> NODES.numberNode((Integer) value);
            case LONG -> NODES.numberNode((Long) value);
            case SHORT -> NODES.numberNode((Short) value);
            case BYTE -> NODES.numberNode((Byte) value);
            case FLOAT -> NODES.numberNode((Float) value);
            case DOUBLE -> NODES.numberNode((Double) value);
            case BIG_DECIMAL -> NODES.numberNode((BigDecimal) value);
            case BOOLEAN -> NODES.booleanNode((Boolean) value);
            case INSTANT -> NODES.numberNode(BigDecimal.valueOf(((Instant) value).toEpochMilli(), 3));
            case SDK_BYTES -> NODES.textNode(
                    Base64.getEncoder().encodeToString(((SdkBytes) value).asByteArrayUnsafe()));
            case SDK_POJO -> write((SdkPojo) value);
            case LIST -> {
                SdkField<?> member = field.getTrait(ListTrait.class).memberFieldInfo();
                ArrayNode array = NODES.arrayNode();
                for (Object element : (List<?>) value) {
                    JsonNode written = write(member, element);
                    array.add(written == null ? NullNode.instance : written);
                }
                yield array;
            }
            case MAP -> {
                SdkField<?> member = field.getTrait(MapTrait.class).valueFieldInfo();
                ObjectNode object = NODES.objectNode();
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                    JsonNode written = write(member, entry.getValue());
                    object.set((String) entry.getKey(), written == null ? NullNode.instance : written);
                }
                yield object;
            }
            default -> throw new IllegalArgumentException("member " + field.memberName() + " has type "
                    + field.marshallingType() + ", which the AWS JSON protocol client does not write");
        };
    }

    /** Sets each member of {@code builder} that {@code json} has, and returns the built object. */
    @SuppressWarnings("unchecked")
    static <T> T read(JsonNode json, SdkPojo builder) {
        for (SdkField<?> field : builder.sdkFields()) {
            JsonNode value = json.get(field.unmarshallLocationName());
            if (value != null && !value.isNull() && field.location() == MarshallLocation.PAYLOAD) {
                field.set(builder, read(field, value));
            }
        }
        return (T) ((Buildable) builder).build();
    }

    private static Object read(SdkField<?> field, JsonNode value) {
        if (value.isNull()) {
            return null;
        }
        return switch (field.marshallingType().getKnownType()) {
            case STRING -> value.asText();
            case INTEGER -> value.intValue();
            case LONG -> value.longValue();
            case SHORT -> value.shortValue();
            case BYTE -> (byte) value.intValue();
            case FLOAT -> value.floatValue();
            case DOUBLE -> value.doubleValue();
            case BIG_DECIMAL -> value.decimalValue();
            case BOOLEAN -> value.booleanValue();
            case INSTANT -> instant(value);
            case SDK_BYTES -> SdkBytes.fromByteArrayUnsafe(Base64.getDecoder().decode(value.asText()));
            case SDK_POJO -> read(value, field.constructor().get());
            case LIST -> {
                SdkField<?> member = field.getTrait(ListTrait.class).memberFieldInfo();
                List<Object> list = new ArrayList<>(value.size());
                value.forEach(element -> list.add(read(member, element)));
                yield list;
            }
            case MAP -> {
                SdkField<?> member = field.getTrait(MapTrait.class).valueFieldInfo();
                Map<String, Object> map = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> entry = it.next();
                    map.put(entry.getKey(), read(member, entry.getValue()));
                }
                yield map;
            }
            default -> throw new IllegalArgumentException("member " + field.memberName() + " has type "
                    + field.marshallingType() + ", which the AWS JSON protocol client does not read");
        };
    }

    /** The JSON protocol's times are seconds since the epoch, with a fraction. */
    private static Instant instant(JsonNode value) {
        BigDecimal seconds = value.isTextual() ? new BigDecimal(value.asText()) : value.decimalValue();
        BigDecimal whole = seconds.setScale(0, RoundingMode.FLOOR);
        return Instant.ofEpochSecond(whole.longValueExact(), seconds.subtract(whole).movePointRight(9).longValue());
    }
}
