package io.jobway.obs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobway.json.Json;
import java.time.Instant;

/**
 * Structured logging: one JSON object per line on stdout, which Lambda sends to CloudWatch Logs and Logs
 * Insights can query by field. A logging framework would cost cold-start time for no gain here.
 */
public final class Log {
    private Log() {
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
        if (fields.length % 2 != 0) {
            throw new IllegalArgumentException("log fields come in name/value pairs: " + event);
        }
        ObjectNode line = Json.object();
        line.put("time", Instant.now().toString());
        line.put("level", level);
        line.put("event", event);
        for (int i = 0; i < fields.length; i += 2) {
            Object value = fields[i + 1];
            if (value instanceof Number n) {
                line.put(fields[i].toString(), n.longValue());
            } else if (value != null) {
                line.put(fields[i].toString(), value.toString());
            }
        }
        System.out.println(line); // looked up per line, so a test can capture it with System.setOut
    }
}
