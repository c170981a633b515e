package io.jobway.local.template;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * An AWS SAM / CloudFormation template read from YAML: its parameters, its resources and its functions.
 * The local runtime builds its queues, tables and event sources from this, so template.yaml stays the one
 * list of what exists. Values are kept raw (intrinsic functions in their long form); {@link Intrinsics}
 * resolves them once the resources exist.
 */
public final class CfnTemplate {
    public static final String SERVERLESS_FUNCTION = "AWS::Serverless::Function";
    /** SAM's defaults when neither the function nor Globals say otherwise. */
    private static final int DEFAULT_TIMEOUT_SECONDS = 3;
    private static final int DEFAULT_MEMORY_MB = 128;

    private final String source;
    private final Map<String, Object> parameters;
    private final Map<String, String> parameterDefaults;
    private final Map<String, CfnResource> resources;
    private final Map<String, Object> functionGlobals;

    private CfnTemplate(String source, Map<String, Object> root) {
        this.source = source;
        var parameters = map(root.get("Parameters"), "Parameters");
        this.parameters = parameters;
        this.parameterDefaults = readParameterDefaults(parameters);
        this.resources = readResources(map(root.get("Resources"), "Resources"));
        this.functionGlobals = map(map(root.get("Globals"), "Globals").get("Function"), "Globals.Function");
        if (resources.isEmpty()) {
            throw new IllegalArgumentException(source + " has no Resources");
        }
    }

    public static CfnTemplate load(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the template " + file, e);
        }
    }

    /** @param source where the YAML came from, named in error messages */
    public static CfnTemplate parse(String yaml, String source) {
        var options = new LoaderOptions();
        options.setAllowDuplicateKeys(false); // CloudFormation rejects them too
        Object root = new Yaml(new CfnYamlConstructor(options)).load(yaml);
        if (!(root instanceof Map<?, ?>)) {
            throw new IllegalArgumentException(source + " is not a YAML mapping");
        }
        return new CfnTemplate(source, stringKeys(root, source));
    }

    /** Each parameter that has a Default, with that default as a string. */
    public Map<String, String> parameterDefaults() {
        return parameterDefaults;
    }

    /**
     * The parameters' defaults with some overridden, as {@code sam deploy --parameter-overrides} does; an override
     * must meet its parameter's constraints (Number, MinValue, MaxValue, AllowedValues), as CloudFormation checks.
     */
    public Map<String, String> parameterValues(Map<String, String> overrides) {
        var values = new LinkedHashMap<>(parameterDefaults);
        overrides.forEach((name, value) -> {
            if (!parameters.containsKey(name)) {
                throw new IllegalArgumentException("Parameter " + name + " is not declared in " + source
                        + "; declared are " + new java.util.TreeSet<>(parameters.keySet()));
            }
            checkConstraints(name, map(parameters.get(name), "Parameters." + name), value);
            values.put(name, value);
        });
        return Collections.unmodifiableMap(values);
    }

    private static void checkConstraints(String name, Map<String, Object> declaration, String value) {
        Object allowed = declaration.get("AllowedValues");
        if (allowed instanceof List<?> list && list.stream().map(String::valueOf).noneMatch(value::equals)) {
            throw new IllegalArgumentException("Parameter " + name + " must be one of " + list + ", was '" + value
                    + "'");
        }
        if (!"Number".equals(declaration.get("Type"))) {
            return;
        }
        Object min = declaration.get("MinValue");
        Object max = declaration.get("MaxValue");
        BigDecimal number = number(value);
        if (number == null || (min != null && number.compareTo(number(min.toString())) < 0)
                || (max != null && number.compareTo(number(max.toString())) > 0)) {
            String range = (min == null ? "" : " from " + min) + (max == null ? "" : " to " + max);
            throw new IllegalArgumentException("Parameter " + name + " must be a number" + range + ", was '" + value
                    + "'");
        }
    }

    /** The number {@code text} writes, or null if it is none. */
    private static BigDecimal number(String text) {
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Every resource by logical id, in template order. */
    public Map<String, CfnResource> resources() {
        return resources;
    }

    public Optional<CfnResource> resource(String logicalId) {
        return Optional.ofNullable(resources.get(logicalId));
    }

    public List<CfnResource> resourcesOfType(String type) {
        return resources.values().stream().filter(r -> r.type().equals(type)).toList();
    }

    /** Every {@code AWS::Serverless::Function}, in template order. */
    public List<FunctionSpec> functions() {
        return resourcesOfType(SERVERLESS_FUNCTION).stream().map(this::functionSpec).toList();
    }

    public FunctionSpec function(String logicalId) {
        var resource = resource(logicalId).filter(r -> r.type().equals(SERVERLESS_FUNCTION))
                .orElseThrow(() -> new IllegalArgumentException(
                        "No " + SERVERLESS_FUNCTION + " named " + logicalId + " in " + source));
        return functionSpec(resource);
    }

    private FunctionSpec functionSpec(CfnResource function) {
        String id = function.logicalId();
        Object handler = functionProperty(function, "Handler");
        if (!(handler instanceof String text) || text.isBlank()) {
            throw new IllegalArgumentException("Function " + id + " in " + source + " has no Handler");
        }
        var environment = new LinkedHashMap<String, Object>();
        environment.putAll(variables(functionGlobals.get("Environment"), "Globals.Function"));
        environment.putAll(variables(function.property("Environment"), id));
        var events = new LinkedHashMap<String, EventSource>();
        map(function.property("Events"), id + ".Events").forEach((name, raw) -> {
            var event = map(raw, id + ".Events." + name);
            if (!(event.get("Type") instanceof String type)) {
                throw new IllegalArgumentException("Event " + name + " of " + id + " has no Type");
            }
            events.put(name, new EventSource(name, type, map(event.get("Properties"), name + ".Properties")));
        });
        return new FunctionSpec(id, text,
                integer(functionProperty(function, "Timeout"), DEFAULT_TIMEOUT_SECONDS, id + ".Timeout"),
                integer(functionProperty(function, "MemorySize"), DEFAULT_MEMORY_MB, id + ".MemorySize"),
                environment, events);
    }

    /**
     * A property of a function as SAM sees it: the function's own value, else the one from Globals.Function, else
     * null. For what {@link FunctionSpec} does not carry ({@code Runtime}, {@code CodeUri}, {@code SnapStart}, ...).
     */
    public Object functionProperty(String logicalId, String name) {
        return functionProperty(resource(logicalId).filter(r -> r.type().equals(SERVERLESS_FUNCTION))
                .orElseThrow(() -> new IllegalArgumentException(
                        "No " + SERVERLESS_FUNCTION + " named " + logicalId + " in " + source)), name);
    }

    /**
     * The function that a {@code !Ref} or {@code !GetAtt} of this logical id invokes: the function itself, or the
     * alias SAM generates for its {@code AutoPublishAlias} ({@code <Function>Alias<name>}).
     */
    public Optional<String> invokedFunction(String logicalId) {
        for (CfnResource function : resourcesOfType(SERVERLESS_FUNCTION)) {
            Object alias = functionProperty(function, "AutoPublishAlias");
            if (logicalId.equals(function.logicalId())
                    || alias != null && logicalId.equals(function.logicalId() + "Alias" + alias)) {
                return Optional.of(function.logicalId());
            }
        }
        return Optional.empty();
    }

    /** The function's own property, else the one from Globals.Function. */
    private Object functionProperty(CfnResource function, String name) {
        Object own = function.property(name);
        return own != null ? own : functionGlobals.get(name);
    }

    private Map<String, Object> variables(Object environment, String where) {
        return map(map(environment, where + ".Environment").get("Variables"), where + ".Environment.Variables");
    }

    private int integer(Object value, int fallback, String where) {
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + " in " + source + " must be a literal number, got " + value, e);
        }
    }

    private Map<String, String> readParameterDefaults(Map<String, Object> parameters) {
        var defaults = new LinkedHashMap<String, String>();
        parameters.forEach((name, raw) -> {
            Object value = map(raw, "Parameters." + name).get("Default");
            if (value != null) {
                defaults.put(name, value instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
                        : String.valueOf(value));
            }
        });
        return Collections.unmodifiableMap(defaults);
    }

    private Map<String, CfnResource> readResources(Map<String, Object> raw) {
        var result = new LinkedHashMap<String, CfnResource>();
        raw.forEach((id, value) -> {
            var resource = map(value, "Resources." + id);
            if (!(resource.get("Type") instanceof String type)) {
                throw new IllegalArgumentException("Resource " + id + " in " + source + " has no Type");
            }
            result.put(id, new CfnResource(id, type, map(resource.get("Properties"), id + ".Properties")));
        });
        return Collections.unmodifiableMap(result);
    }

    /** A mapping with string keys; absent means empty. */
    private Map<String, Object> map(Object value, String where) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?>)) {
            throw new IllegalArgumentException(where + " in " + source + " must be a mapping, got " + value);
        }
        return stringKeys(value, source + ": " + where);
    }

    private static Map<String, Object> stringKeys(Object value, String where) {
        var result = new LinkedHashMap<String, Object>();
        ((Map<?, ?>) value).forEach((key, item) -> {
            if (!(key instanceof String name)) {
                throw new IllegalArgumentException(where + " has a non-string key " + key);
            }
            result.put(name, item);
        });
        return result;
    }
}
