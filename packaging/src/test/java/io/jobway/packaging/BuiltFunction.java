package io.jobway.packaging;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One function as {@code sam build} leaves it for {@code sam deploy}: the artifact that deploy uploads and what
 * Lambda is told to run from it.
 *
 * @param artifact    the zip (or directory) the built template's CodeUri names; deploy uploads exactly this
 * @param handler     {@code package.Class::method}
 * @param environment the variables as the built template declares them (Globals applied), values raw: literals,
 *                    or intrinsic functions in their long form ({@code {Ref=JobsTable}})
 */
public record BuiltFunction(
        String logicalId,
        Path artifact,
        String handler,
        String runtime,
        int memoryMb,
        int timeoutSeconds,
        Map<String, Object> environment) {

    public BuiltFunction {
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    }

    /** The handler's class, as a binary name ({@code io.jobway.api.ApiFunction}). */
    public String handlerClass() {
        int separator = handler.indexOf("::");
        return separator < 0 ? handler : handler.substring(0, separator);
    }

    /** The handler's method ({@code handleRequest} when the handler string names none). */
    public String handlerMethod() {
        int separator = handler.indexOf("::");
        return separator < 0 ? "handleRequest" : handler.substring(separator + 2);
    }
}
