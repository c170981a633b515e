package io.jobway.obs;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobway.json.Json;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Structured logging: one JSON object per line on stdout, which Lambda sends to CloudWatch Logs and Logs
 * Insights can query by field. A logging framework would cost cold-start time for no gain here.
 *
 * <p>A line carries the fields of the scopes open on its thread ({@link #invocation}: the request id and whether
 * this is the function's cold start; {@link #with}: a job's id, tenant, type and attempt), then its own. The scopes
 * are inheritable, so the threads an invocation starts (a job's handler, a stream batch's lanes) carry them too.
 */
public final class Log {
    /** The request id SnapStart priming invokes with: its lines are no invocation's, and no cold start. */
    public static final String PRIMING_REQUEST_ID = "snapstart-priming";
    private static final InheritableThreadLocal<Map<String, Object>> SCOPE = new InheritableThreadLocal<>();
    /** The functions that have had their first invocation in this JVM (after a SnapStart restore: none yet). */
    private static final Set<String> STARTED = ConcurrentHashMap.newKeySet();

    private Log() {
    }

    /** An open scope; closing it gives the thread back the fields it had before. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * One invocation of a function: {@code requestId}, {@code function} and {@code coldStart} (true on the first
     * invocation of this function in this JVM) on every line until it is closed.
     */
    public static Scope invocation(Context context) {
        String requestId = context == null ? null : context.getAwsRequestId();
        String function = context == null ? "unknown" : context.getFunctionName();
        boolean priming = PRIMING_REQUEST_ID.equals(requestId);
        boolean cold = !priming && STARTED.add(function);
        return with("requestId", requestId, "function", function, "coldStart", cold);
    }

    /** {@code fields} (name/value pairs) on every line of this thread, and of the threads it starts, until closed. */
    public static Scope with(Object... fields) {
        requirePairs(fields, "scope");
        Map<String, Object> before = SCOPE.get();
        Map<String, Object> now = before == null ? new LinkedHashMap<>() : new LinkedHashMap<>(before);
        for (int i = 0; i < fields.length; i += 2) {
            if (fields[i + 1] != null) {
                now.put(fields[i].toString(), fields[i + 1]);
            }
        }
        SCOPE.set(Collections.unmodifiableMap(now)); // in order: the lines read as the scopes were opened
        return () -> SCOPE.set(before);
    }

    /** Logs {@code event} with alternating field names and values. */
    public static void info(String event, Object... fields) {
        write("INFO", event, fields);
    }

    public static void warn(String event, Object... fields) {
        write("WARN", event, fields);
    }

    public static void error(String event, Object... fields) {
        write("ERROR", event, fields);
    }

    private static void write(String level, String event, Object... fields) {
        requirePairs(fields, event);
        ObjectNode line = Json.object();
        line.put("time", Instant.now().toString());
        line.put("level", level);
        line.put("event", event);
        Map<String, Object> scope = SCOPE.get();
        if (scope != null) {
            scope.forEach((name, value) -> put(line, name, value));
        }
        for (int i = 0; i < fields.length; i += 2) {
            put(line, fields[i].toString(), fields[i + 1]);
        }
        System.out.println(line); // looked up per line, so a test can capture it with System.setOut
    }

    private static void put(ObjectNode line, String name, Object value) {
        if (value instanceof Boolean b) {
            line.put(name, b);
        } else if (value instanceof Number n) {
            line.put(name, n.longValue());
        } else if (value != null) {
            line.put(name, value.toString());
        }
    }

    private static void requirePairs(Object[] fields, String what) {
        if (fields.length % 2 != 0) {
            throw new IllegalArgumentException("log fields come in name/value pairs: " + what);
        }
    }
}
