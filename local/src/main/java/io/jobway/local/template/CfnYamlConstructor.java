package io.jobway.local.template;

import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads CloudFormation YAML the way CloudFormation does: every short-form tag ({@code !Ref X},
 * {@code !GetAtt A.B}, {@code !Sub ...}) becomes its long form ({@code {Ref: X}},
 * {@code {Fn::GetAtt: [A, B]}}, {@code {Fn::Sub: ...}}), so the rest of the code sees one shape only.
 * Plain scalars stay strings ({@code 5400}, {@code true}, {@code 2010-09-09}): CloudFormation has no
 * YAML typing, and a string never loses leading zeros or turns a date into a timestamp.
 */
final class CfnYamlConstructor extends SafeConstructor {
    private static final List<String> FUNCTIONS = List.of(
            "Sub", "Join", "Select", "Split", "If", "Equals", "Not", "And", "Or", "FindInMap",
            "GetAZs", "ImportValue", "Base64", "Cidr", "Transform", "ToJsonString", "Length");

    CfnYamlConstructor(LoaderOptions options) {
        super(options);
        var asString = new AsString();
        for (Tag tag : List.of(Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.TIMESTAMP)) {
            yamlConstructors.put(tag, asString);
        }
        yamlConstructors.put(new Tag("!Ref"), new LongForm("Ref"));
        yamlConstructors.put(new Tag("!Condition"), new LongForm("Condition"));
        yamlConstructors.put(new Tag("!GetAtt"), new GetAtt());
        for (String name : FUNCTIONS) {
            yamlConstructors.put(new Tag("!" + name), new LongForm("Fn::" + name));
        }
    }

    /** The node's value as plain data, whatever kind of node it is. */
    private Object plain(Node node) {
        return switch (node) {
            case ScalarNode scalar -> constructScalar(scalar);
            case SequenceNode sequence -> constructSequence(sequence);
            case MappingNode mapping -> constructMapping(mapping);
            default -> throw new IllegalArgumentException("Unsupported YAML node " + node.getNodeId());
        };
    }

    private final class AsString extends AbstractConstruct {
        @Override
        public Object construct(Node node) {
            return constructScalar((ScalarNode) node);
        }
    }

    private final class LongForm extends AbstractConstruct {
        private final String key;

        LongForm(String key) {
            this.key = key;
        }

        @Override
        public Object construct(Node node) {
            return Map.of(key, plain(node));
        }
    }

    /** {@code !GetAtt Res.Attr} splits at the first dot (an attribute may hold dots itself); the list form passes. */
    private final class GetAtt extends AbstractConstruct {
        @Override
        public Object construct(Node node) {
            Object value = plain(node);
            if (value instanceof String text) {
                int dot = text.indexOf('.');
                if (dot <= 0 || dot == text.length() - 1) {
                    throw new IllegalArgumentException("!GetAtt needs Resource.Attribute, got '" + text + "'");
                }
                value = List.of(text.substring(0, dot), text.substring(dot + 1));
            }
            return Map.of("Fn::GetAtt", value);
        }
    }
}
