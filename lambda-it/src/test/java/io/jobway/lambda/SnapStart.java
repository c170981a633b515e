package io.jobway.lambda;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the package tests check of a function started as its published versions run (SnapStart): the runtime ran
 * its priming before asking to be restored, the priming ended as expected, and no credentials were fetched
 * before the restore (they would be in the snapshot).
 */
final class SnapStart {
    private SnapStart() {
    }

    static void assertPrimedWithoutCredentials(ExecutionEnvironment function, String name) {
        String log = function.log();
        assertThat(log).as("the runtime ran the function's priming before the snapshot")
                .contains("\"event\":\"snapstart.primed\",\"function\":\"" + name + "\"")
                .doesNotContain("snapstart.priming-failed");
        assertThat(function.credentialFetches()).as("container credentials fetched, as times since the JVM started")
                .allSatisfy(at -> assertThat(at).as("fetched after the restore (at %s)", function.restore())
                        .isGreaterThan(function.restore()));
    }
}
