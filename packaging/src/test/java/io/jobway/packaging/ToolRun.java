package io.jobway.packaging;

import java.util.List;

/** What a command printed (stdout and stderr, interleaved) and how it exited. */
record ToolRun(List<String> command, int exitCode, String output, long millis) {
    boolean succeeded() {
        return exitCode == 0;
    }

    String describe() {
        return String.join(" ", command) + " exited " + exitCode + " after " + millis + " ms:\n" + output;
    }
}
