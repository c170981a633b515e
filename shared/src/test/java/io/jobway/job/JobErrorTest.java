package io.jobway.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobErrorTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void of_keepsTheStackTrace_withTheClassTheMessageTheFramesAndEachCause() {
        IllegalStateException failure = new IllegalStateException("could not send the invoice",
                new UncheckedIOException("connection reset", new IOException("peer closed")));

        JobError error = JobError.of(failure, NOW);

        assertThat(error.stack())
                .startsWith("java.lang.IllegalStateException: could not send the invoice\n"
                        + "\tat io.jobway.job.JobErrorTest.of_keepsTheStackTrace")
                .contains("\nCaused by: java.io.UncheckedIOException: connection reset\n")
                .contains("\nCaused by: java.io.IOException: peer closed\n");
    }

    @Test
    void of_keepsTheFirst8FramesOfEachException_andCountsTheRest() {
        RuntimeException deep = deep(100);
        int frames = deep.getStackTrace().length;

        String stack = JobError.of(deep, NOW).stack();

        assertThat(stack.lines().filter(line -> line.startsWith("\tat "))).hasSize(8);
        assertThat(stack).endsWith("\t... " + (frames - 8) + " more\n");
    }

    @Test
    void of_cutsALongStackTo2000Characters() {
        Throwable chain = new IllegalStateException("the root");
        for (int i = 0; i < 100; i++) {
            chain = new IllegalStateException("wrapped " + i + " " + "x".repeat(100), chain);
        }

        String stack = JobError.of(chain, NOW).stack();

        assertThat(stack).hasSize(2_000).startsWith("java.lang.IllegalStateException: wrapped 99");
    }

    @Test
    void aCauseChainThatLoops_endsAtTheFirstRepeat() {
        IllegalStateException first = new IllegalStateException("first");
        IllegalStateException second = new IllegalStateException("second", first);
        first.initCause(second);

        assertThat(JobError.of(first, NOW).stack()).containsOnlyOnce("IllegalStateException: first")
                .containsOnlyOnce("IllegalStateException: second");
    }

    @Test
    void anErrorWithoutAnException_hasNoStack() {
        assertThat(new JobError("attempt 1 did not finish within 5 s", JobError.TIMEOUT, NOW).stack()).isNull();
        assertThat(new JobError("x", "T", NOW, "").stack()).as("an empty stack is none").isNull();
    }

    private static RuntimeException deep(int frames) {
        return frames == 0 ? new RuntimeException("at the bottom") : deep(frames - 1);
    }
}
