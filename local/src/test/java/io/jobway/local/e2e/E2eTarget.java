package io.jobway.local.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Locale;

/**
 * What the end-to-end suite runs on, chosen with {@code -Djobway.e2e.target=}: the local runtime on its embedded
 * emulators (the default), on moto, or on LocalStack (each started once per test JVM), or a stack deployed to AWS
 * (its outputs given as properties; see {@link DeployedJobway}).
 */
enum E2eTarget {
    EMBEDDED, MOTO, LOCALSTACK, AWS;

    static final String PROPERTY = "jobway.e2e.target";

    static E2eTarget current() {
        String value = System.getProperty(PROPERTY, "embedded").trim().toUpperCase(Locale.ROOT);
        try {
            return valueOf(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-D" + PROPERTY + " must be embedded, moto, localstack or aws, was '"
                    + System.getProperty(PROPERTY) + "'", e);
        }
    }

    /** Skips the calling test, saying why, unless the suite runs on the local runtime (any emulator). */
    static void requireLocalRuntime(String why) {
        assumeTrue(current() != AWS, () -> "skipped on a deployed stack: " + why);
    }
}
