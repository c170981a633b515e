package io.jobway.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON for the whole project, as Jackson trees. Strict: unknown or trailing input is an error, never ignored.
 * Trees are read and written with jackson-core alone ({@link JsonTrees}); the ObjectMapper is built only when a
 * value that is not a tree is written, which no function's request path does (see JsonTrees for why).
 */
public final class Json {
    private static final JsonFactory FACTORY = new JsonFactory();

    private Json() {
    }

    /** Built on first use: its first use costs a cold start ~300 classes. */
    private static final class Mapper {
        static final ObjectMapper INSTANCE = new ObjectMapper()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** The project's ObjectMapper, for values that are not trees (records, maps); trees need none. */
    public static ObjectMapper mapper() {
        return Mapper.INSTANCE;
    }

    /** jackson-core's factory, for streaming a parser or generator directly. */
    public static JsonFactory factory() {
        return FACTORY;
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    public static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    /** Parses JSON text; throws {@link JsonProcessingException} wrapped unchecked with the parser's message. */
    public static JsonNode parse(String text) {
        try {
            return readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads one JSON value, all of the stream; {@link JsonProcessingException} (with the parser's message and
     * location) when it is not JSON or more follows it; a missing node when the input is empty.
     */
    public static JsonNode readTree(InputStream in) throws IOException {
        return JsonTrees.read(FACTORY.createParser(in));
    }

    /** As {@link #readTree(InputStream)}, from text. */
    public static JsonNode readTree(String text) throws JsonProcessingException {
        try {
            return JsonTrees.read(FACTORY.createParser(text));
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a String has no I/O to fail
        }
    }

    /** As {@link #readTree(InputStream)}, from bytes. */
    public static JsonNode readTree(byte[] bytes) throws IOException {
        return JsonTrees.read(FACTORY.createParser(bytes));
    }

    /** The same JSON value always gives the same text: object keys sorted at every depth. */
    public static String canonical(JsonNode node) {
        return write(sorted(node));
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = object();
            new java.util.TreeMap<>(node.properties().stream()
                    .collect(java.util.stream.Collectors.toMap(java.util.Map.Entry::getKey, java.util.Map.Entry::getValue)))
                    .forEach((name, value) -> out.set(name, sorted(value)));
            return out;
        }
        if (node.isArray()) {
            var out = array();
            node.forEach(element -> out.add(sorted(element)));
            return out;
        }
        return node;
    }

    /** Reads one JSON object (a Lambda event); anything else is refused: "not {what}: expected a JSON object". */
    public static JsonNode readObject(InputStream in, String what) throws IOException {
        JsonNode node = readTree(in);
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not " + what + ": expected a JSON object");
        }
        return node;
    }

    /** A field's text, or null when the field is absent or JSON null (as a POJO reader would leave it). */
    public static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** An object of strings as a map, JSON nulls kept as null; empty when the node is absent or not an object. */
    public static Map<String, String> strings(JsonNode object) {
        Map<String, String> map = new LinkedHashMap<>();
        if (object != null && object.isObject()) {
            object.properties().forEach(e ->
                    map.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
        }
        return map;
    }

    /** JSON text of a tree, or of any other value through {@link #mapper()}. */
    /** How deep {@code node} nests: 0 for a scalar, 1 for a flat array or object. Iterative, for any depth. */
    public static int depth(JsonNode node) {
        int deepest = 0;
        Deque<Map.Entry<JsonNode, Integer>> pending = new ArrayDeque<>();
        pending.push(Map.entry(node, 0));
        while (!pending.isEmpty()) {
            var next = pending.pop();
            if (next.getKey().isContainerNode()) {
                int level = next.getValue() + 1;
                deepest = Math.max(deepest, level);
                next.getKey().forEach(child -> pending.push(Map.entry(child, level)));
            }
        }
        return deepest;
    }

    public static String write(Object value) {
        if (!(value instanceof JsonNode node)) {
            try {
                return mapper().writeValueAsString(value);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
        // a writer, not bytes decoded: the byte generator escapes characters beyond the BMP, the mapper did not
        StringWriter text = new StringWriter();
        try (JsonGenerator out = FACTORY.createGenerator(text)) {
            JsonTrees.write(node, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter has no I/O to fail
        }
        return text.toString();
    }

    /** UTF-8 JSON of a tree. */
    public static byte[] bytes(JsonNode node) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator out = FACTORY.createGenerator(bytes)) {
            JsonTrees.write(node, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array has no I/O to fail
        }
        return bytes.toByteArray();
    }
}
