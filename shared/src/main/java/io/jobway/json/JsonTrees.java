package io.jobway.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;

/**
 * JSON trees read and written with jackson-core's streaming parser and generator, giving the same nodes and text
 * as an {@code ObjectMapper} would. Every function reads its event and writes its answer as a tree; an
 * ObjectMapper's first use loads some 300 classes (its serializer and deserializer factories, introspection,
 * type resolution), a tenth of a second of each cold start, which trees do not need. {@code JsonTreesTest}
 * compares both.
 */
final class JsonTrees {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonTrees() {
    }

    /** The one value the parser holds; trailing input is an error. Empty input is a {@link MissingNode}. */
    static JsonNode read(JsonParser parser) throws IOException {
        try (parser) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return MissingNode.getInstance();
            }
            JsonNode value = value(parser, first);
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw new JsonParseException(parser,
                        "Trailing token (of type " + trailing + ") found after value: only one JSON value is allowed",
                        parser.currentTokenLocation());
            }
            return value;
        }
    }

    private static JsonNode value(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                // nextFieldName reads the value's first token too, with the same messages as the mapper
                for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
                    if (object.has(name)) { // which one would win is the reader's guess: refuse instead
                        throw new JsonParseException(parser, "Duplicate field '" + printable(name) + "'",
                                parser.currentTokenLocation());
                    }
                    object.set(checkedText(parser, name), value(parser, parser.nextToken()));
                }
                yield object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
                    array.add(value(parser, next));
                }
                yield array;
            }
            case VALUE_STRING -> NODES.textNode(checkedText(parser, parser.getText()));
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> NODES.numberNode(parser.getIntValue());
                case LONG -> NODES.numberNode(parser.getLongValue());
                default -> NODES.numberNode(parser.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> {
                if (parser.getNumberType() == JsonParser.NumberType.BIG_DECIMAL) {
                    yield NODES.numberNode(parser.getDecimalValue());
                }
                double number = parser.getDoubleValue();
                if (Double.isInfinite(number)) { // it would be written back as "Infinity", which is not JSON
                    throw new JsonParseException(parser, "Number " + parser.getText()
                            + " is outside the range of a double (about 1.8e308)", parser.currentTokenLocation());
                }
                yield NODES.numberNode(number);
            }
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new JsonParseException(parser, "Unexpected token (" + token + ") where a value starts");
        };
    }

    /**
     * A string as JSON text may spell it: an escaped surrogate (D800 to DFFF) without its pair is not a
     * character, and would be written out as invalid UTF-8 or replaced; refused with its position.
     */
    private static String checkedText(JsonParser parser, String text) throws JsonParseException {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new JsonParseException(parser, String.format("Unpaired surrogate \\u%04X in a string", (int) c),
                        parser.currentTokenLocation());
            }
        }
        return text;
    }

    private static String printable(String name) {
        return name.length() > 64 ? name.substring(0, 64) + "..." : name;
    }

    static void write(JsonNode node, JsonGenerator out) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                out.writeStartObject();
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    out.writeFieldName(field.getKey());
                    write(field.getValue(), out);
                }
                out.writeEndObject();
            }
            case ARRAY -> {
                out.writeStartArray();
                for (JsonNode element : node) {
                    write(element, out);
                }
                out.writeEndArray();
            }
            case STRING -> out.writeString(node.textValue());
            case NUMBER -> {
                switch (node.numberType()) {
                    case INT -> out.writeNumber(node.intValue());
                    case LONG -> out.writeNumber(node.longValue());
                    case BIG_INTEGER -> out.writeNumber(node.bigIntegerValue());
                    case FLOAT -> out.writeNumber(node.floatValue());
                    case DOUBLE -> out.writeNumber(node.doubleValue());
                    case BIG_DECIMAL -> out.writeNumber(node.decimalValue());
                }
            }
            case BOOLEAN -> out.writeBoolean(node.booleanValue());
            case NULL -> out.writeNull();
            case BINARY -> out.writeBinary(node.binaryValue());
            default -> throw new IllegalArgumentException("a " + node.getNodeType()
                    + " node is not JSON text; write it with Json.mapper()");
        }
    }
}
