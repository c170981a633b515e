package io.jobway.auth;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a key may do. {@code jobs:write} submits, cancels and retries jobs; {@code jobs:read} reads them, their
 * deliveries and the schedules; {@code admin} is everything, including the DLQ, keys, limits, webhook secrets,
 * hook sources and changing schedules. A key stored without scopes (made before they existed) holds
 * {@link #DEFAULT}: what a tenant key could always do with jobs, and nothing of an operator's.
 */
public final class Scopes {
    public static final String JOBS_READ = "jobs:read";
    public static final String JOBS_WRITE = "jobs:write";
    public static final String ADMIN = "admin";
    public static final Set<String> ALL = Set.of(JOBS_READ, JOBS_WRITE, ADMIN);
    public static final Set<String> DEFAULT = Set.of(JOBS_READ, JOBS_WRITE);

    private Scopes() {
    }

    /** The scopes a stored key acts with. */
    public static Set<String> effective(Set<String> stored) {
        return stored.isEmpty() ? DEFAULT : stored;
    }

    /** Whether a key holding {@code held} may do what needs {@code needed}; admin covers every scope. */
    public static boolean grants(Set<String> held, String needed) {
        return held.contains(needed) || held.contains(ADMIN);
    }

    /** Reads "jobs:read,jobs:write"; an unknown name is refused by name. */
    public static Set<String> parse(String csv) {
        Set<String> scopes = new LinkedHashSet<>();
        for (String part : csv.split(",")) {
            String scope = part.trim();
            if (!ALL.contains(scope)) {
                throw new IllegalArgumentException("unknown scope '" + scope + "'; the scopes are " + new TreeSet<>(ALL));
            }
            scopes.add(scope);
        }
        return Set.copyOf(scopes);
    }
}
