package io.jobway.lambda;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What Lambda is given to run a function: its code (a zip, or a directory such as {@code sam build} output,
 * laid out as Lambda loads it: classes at the root, jars in lib/), the handler string, the environment
 * variables of its configuration, its memory and its timeout.
 */
public record FunctionPackage(String name, Path artifact, String handler, Map<String, String> environment,
                              int memoryMb, int timeoutSeconds) {
    public FunctionPackage {
        environment = Map.copyOf(environment);
    }

    public FunctionPackage withHandler(String other) {
        return new FunctionPackage(name, artifact, other, environment, memoryMb, timeoutSeconds);
    }

    public FunctionPackage withArtifact(Path other) {
        return new FunctionPackage(name, other, handler, environment, memoryMb, timeoutSeconds);
    }

    /** The same package with variables set (or replaced); a null value removes the variable. */
    public FunctionPackage withVariables(Map<String, String> changes) {
        var changed = new HashMap<>(environment);
        changes.forEach((key, value) -> {
            if (value == null) {
                changed.remove(key);
            } else {
                changed.put(key, value);
            }
        });
        return new FunctionPackage(name, artifact, handler, changed, memoryMb, timeoutSeconds);
    }

    public FunctionPackage withoutVariable(String variable) {
        var changes = new HashMap<String, String>();
        changes.put(variable, null);
        return withVariables(changes);
    }
}
