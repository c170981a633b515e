package io.jobway.job;

import java.util.Arrays;
import java.util.Locale;

/**
 * Which queue a job waits in. Each priority has a queue and an event source mapping of its own, with its own
 * concurrency: a high job does not wait behind a backlog of normal ones, and low jobs keep running beside them.
 */
public enum Priority {
    HIGH, NORMAL, LOW;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Priority fromWire(String value) {
        for (Priority p : values()) {
            if (p.wireName().equals(value)) {
                return p;
            }
        }
        throw new IllegalArgumentException("must be one of " + Arrays.stream(values()).map(Priority::wireName).toList());
    }
}
