package io.jobway.local.template;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves a raw CloudFormation value to the string it stands for: Ref, Fn::GetAtt, Fn::Sub and Fn::Join over
 * parameters, pseudo parameters and the resources that were created. Anything else is refused with a message
 * naming the value, so a template that uses more than the local runtime understands fails at start, not later.
 */
public final class Intrinsics {
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

    private final Map<String, String> names;
    private final ResourceLookup resources;

    /**
     * @param parameters the template's parameter values ({@link CfnTemplate#parameterValues})
     * @param stack      the pseudo parameters' values
     * @param resources  the created resources, for Ref and Fn::GetAtt
     */
    public Intrinsics(Map<String, String> parameters, StackContext stack, ResourceLookup resources) {
        var all = new HashMap<>(parameters);
        all.putAll(stack.pseudoParameters());
        this.names = Map.copyOf(all);
        this.resources = resources;
    }

    public String resolve(Object value) {
        return switch (value) {
            case null -> throw new IllegalArgumentException("Cannot resolve an empty value");
            case String text -> text;
            case Number number -> number.toString();
            case Boolean bool -> bool.toString();
            case Map<?, ?> map -> function(map);
            default -> throw new IllegalArgumentException("Cannot resolve " + value + " to a string");
        };
    }

    /** Every value of a map resolved, keys kept (environment variables, for example). */
    public Map<String, String> resolveAll(Map<String, ?> values) {
        var resolved = new LinkedHashMap<String, String>();
        values.forEach((key, value) -> {
            try {
                resolved.put(key, resolve(value));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
            }
        });
        return resolved;
    }

    private String function(Map<?, ?> map) {
        if (map.size() != 1) {
            throw new IllegalArgumentException("Not an intrinsic function (it must have exactly one key): " + map);
        }
        var entry = map.entrySet().iterator().next();
        Object argument = entry.getValue();
        return switch (String.valueOf(entry.getKey())) {
            case "Ref" -> ref(resolve(argument));
            case "Fn::GetAtt" -> getAtt(argument, map);
            case "Fn::Sub" -> sub(argument, map);
            case "Fn::Join" -> join(argument, map);
            default -> throw new IllegalArgumentException(
                    "Unsupported intrinsic function " + entry.getKey() + " in " + map
                            + " (the local runtime resolves Ref, Fn::GetAtt, Fn::Sub and Fn::Join)");
        };
    }

    private String ref(String name) {
        String value = names.get(name);
        if (value != null) {
            return value;
        }
        return resources.find(name).map(PhysicalResource::ref).orElseThrow(() -> new IllegalArgumentException(
                "Ref " + name + ": neither a parameter with a value, a pseudo parameter nor a created resource"));
    }

    private String getAtt(Object argument, Map<?, ?> whole) {
        String resource;
        String attribute;
        if (argument instanceof List<?> list && list.size() == 2) {
            resource = resolve(list.get(0));
            attribute = resolve(list.get(1));
        } else if (argument instanceof String text && text.indexOf('.') > 0) {
            resource = text.substring(0, text.indexOf('.'));
            attribute = text.substring(text.indexOf('.') + 1);
        } else {
            throw new IllegalArgumentException("Fn::GetAtt needs [Resource, Attribute]: " + whole);
        }
        return attribute(resource, attribute);
    }

    private String attribute(String logicalId, String attribute) {
        var resource = resources.find(logicalId).orElseThrow(() -> new IllegalArgumentException(
                "Fn::GetAtt " + logicalId + "." + attribute + ": no resource " + logicalId + " was created"));
        String value = resource.attributes().get(attribute);
        if (value == null) {
            throw new IllegalArgumentException("Fn::GetAtt " + logicalId + "." + attribute + ": " + resource.type()
                    + " has no attribute " + attribute + " here (known: " + resource.attributes().keySet() + ")");
        }
        return value;
    }

    private String sub(Object argument, Map<?, ?> whole) {
        String template;
        Map<?, ?> variables = Map.of();
        if (argument instanceof String text) {
            template = text;
        } else if (argument instanceof List<?> list && list.size() == 2
                && list.get(0) instanceof String text && list.get(1) instanceof Map<?, ?> vars) {
            template = text;
            variables = vars;
        } else {
            throw new IllegalArgumentException("Fn::Sub needs a string or [string, {variables}]: " + whole);
        }
        var local = variables;
        Matcher matcher = SUB_VARIABLE.matcher(template);
        var out = new StringBuilder();
        while (matcher.find()) {
            String variable = matcher.group(1).trim();
            String replacement;
            if (variable.startsWith("!")) {
                replacement = "${" + variable.substring(1) + "}"; // ${!Literal} is written out as ${Literal}
            } else if (local.containsKey(variable)) {
                replacement = resolve(local.get(variable));
            } else if (variable.indexOf('.') > 0 && !names.containsKey(variable)) {
                int dot = variable.indexOf('.');
                replacement = attribute(variable.substring(0, dot), variable.substring(dot + 1));
            } else {
                replacement = ref(variable);
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private String join(Object argument, Map<?, ?> whole) {
        if (argument instanceof List<?> list && list.size() == 2 && list.get(1) instanceof List<?> parts) {
            String delimiter = resolve(list.get(0));
            return String.join(delimiter, parts.stream().map(this::resolve).toList());
        }
        throw new IllegalArgumentException("Fn::Join needs [delimiter, [values]]: " + whole);
    }

    /**
     * The names a raw value refers to (Ref targets, Fn::GetAtt resources, Fn::Sub variables), so a caller can
     * create what a resource depends on first. Parameters and pseudo parameters are included; filter as needed.
     */
    public static Set<String> references(Object value) {
        var found = new LinkedHashSet<String>();
        collect(value, found);
        return found;
    }

    private static void collect(Object value, Set<String> found) {
        if (value instanceof List<?> list) {
            list.forEach(item -> collect(item, found));
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((key, argument) -> {
                switch (String.valueOf(key)) {
                    case "Ref" -> {
                        if (argument instanceof String name) {
                            found.add(name);
                        }
                    }
                    case "Fn::GetAtt" -> {
                        if (argument instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof String name) {
                            found.add(name);
                        } else if (argument instanceof String text && text.indexOf('.') > 0) {
                            found.add(text.substring(0, text.indexOf('.')));
                        }
                    }
                    case "Fn::Sub" -> {
                        Object template = argument instanceof List<?> list && !list.isEmpty() ? list.get(0) : argument;
                        if (template instanceof String text) {
                            Matcher matcher = SUB_VARIABLE.matcher(text);
                            while (matcher.find()) {
                                String variable = matcher.group(1).trim();
                                if (!variable.startsWith("!")) {
                                    int dot = variable.indexOf('.');
                                    found.add(dot > 0 ? variable.substring(0, dot) : variable);
                                }
                            }
                        }
                        if (argument instanceof List<?> list && list.size() == 2) {
                            collect(list.get(1), found);
                        }
                    }
                    default -> collect(argument, found);
                }
            });
        }
    }
}
