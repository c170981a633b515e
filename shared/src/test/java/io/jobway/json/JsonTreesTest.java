package io.jobway.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Trees read and written with jackson-core alone must be what the ObjectMapper reads and writes: the same node
 * types (an int stays an IntNode, a big number a BigIntegerNode), the same text (an idempotency key's request
 * hash is taken over it, so a change would make a retried submit look different), the same errors.
 */
class JsonTreesTest {
    /** As Json's own mapper is configured. */
    private static final ObjectMapper MAPPER = Json.mapper();

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"s\":\"text \\\"quoted\\\" \\u00fc \\ud83d\\ude00 \\n\",\"i\":1,\"neg\":-7,\"l\":12345678901,"
                    + "\"big\":123456789012345678901234567890,\"d\":1.5,\"e\":-2.5E-8,\"z\":0.0,"
                    + "\"t\":true,\"f\":false,\"n\":null,\"a\":[1,[],{}],\"o\":{\"x\":{\"y\":[null]}}}",
            "[]",
            "\"a string\"",
            "42",
            "null",
            "  {\"spaced\" : [ 1 , 2 ] }  "})
    void reads_the_nodes_the_mapper_reads(String text) throws Exception {
        JsonNode expected = MAPPER.readTree(text);

        assertThat(Json.parse(text)).isEqualTo(expected);
        assertThat(Json.readTree(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(expected);
        assertThat(Json.readTree(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1} {\"b\":2}", "{\"a\":1}x", "[1,]", "{\"a\":}", "{\"a\" 1}", "{'a':1}", "[1",
            "nul", "{\"a\":1,}"})
    void refuses_what_the_mapper_refuses_with_its_message(String text) {
        var expected = catchThrowableOfType(JsonProcessingException.class, () -> MAPPER.readTree(text));
        var actual = catchThrowableOfType(JsonProcessingException.class, () -> Json.readTree(text));

        assertThat(expected).as("the mapper refuses it").isNotNull();
        assertThat(actual).as("refused").isNotNull();
        // the mapper's trailing-token message goes on to name its own setting, which means nothing to a caller
        String mappersOwn = ": not allowed as per `DeserializationFeature.FAIL_ON_TRAILING_TOKENS`";
        assertThat(actual.getOriginalMessage().replace(": only one JSON value is allowed", ""))
                .isEqualTo(expected.getOriginalMessage().replace(mappersOwn, "")
                        .replace(" (bound as `com.fasterxml.jackson.databind.JsonNode`)", ""));
        assertThat(actual.getLocation().getColumnNr()).isEqualTo(expected.getLocation().getColumnNr());
    }

    /** What the mapper would take and then guess at, or write back as something else, is refused by name. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "{\"type\":\"echo\",\"type\":\"sleep\"}|Duplicate field 'type'",
            "{\"payload\":{\"a\":1,\"a\":2}}|Duplicate field 'a'",
            "{\"n\":1e309}|Number 1e309 is outside the range of a double",
            "{\"n\":-1e400}|Number -1e400 is outside the range of a double",
            "{\"s\":\"\\ud800\"}|Unpaired surrogate \\uD800",
            "{\"s\":\"a\\udc00b\"}|Unpaired surrogate \\uDC00",
            "{\"\\ud83d\":1}|surrogate"})
    void duplicate_fields_infinite_numbers_and_unpaired_surrogates_are_refused(String json, String message) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Json.readTree(json))
                .isInstanceOf(com.fasterxml.jackson.core.JsonParseException.class).hasMessageContaining(message);
    }

    @Test
    void a_paired_surrogate_and_a_large_finite_number_are_kept() throws Exception {
        JsonNode tree = Json.readTree("{\"s\":\"\\ud83d\\ude00\",\"n\":1.7e308}");

        assertThat(tree.get("s").asText()).isEqualTo("😀");
        assertThat(tree.get("n").doubleValue()).isEqualTo(1.7e308);
    }

    @Test
    void empty_input_is_a_missing_node_as_with_the_mapper() throws Exception {
        JsonNode empty = Json.readTree("");

        assertThat(empty).isEqualTo(MAPPER.readTree(""));
        assertThat(empty.isMissingNode()).isTrue();
    }

    @Test
    void writes_the_text_the_mapper_writes() throws Exception {
        ObjectNode tree = Json.object().put("s", "quote \" slash \\ tab \t ü 😀 </script>").put("i", 7)
                .put("l", 1L << 40).put("d", 0.1).put("f", 1.25f).put("t", true).putNull("n")
                .put("bd", new BigDecimal("1E+3")).put("bi", new BigInteger("98765432109876543210"))
                .put("bytes", new byte[] {1, 2, 3, (byte) 250});
        tree.putArray("a").add(1).addNull().addObject().put("k", "v");
        tree.putObject("empty");
        tree.set("parsed", MAPPER.readTree("{\"big\":123456789012345678901234567890,\"e\":-2.5E-8}"));

        assertThat(Json.write(tree)).isEqualTo(MAPPER.writeValueAsString(tree));
        assertThat(Json.bytes(tree)).isEqualTo(MAPPER.writeValueAsBytes(tree));
    }

    @Test
    void values_that_are_not_trees_go_through_the_mapper() {
        record Spec(String type, int attempts) {
        }

        assertThat(Json.write(new Spec("echo", 3))).isEqualTo("{\"type\":\"echo\",\"attempts\":3}");
        assertThat(Json.write("a \"string\"")).isEqualTo("\"a \\\"string\\\"\"");
    }
}
