package io.jobway.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class JobStatusTest {
    /**
     * Row: from. Column: to. x = legal. Written from DESIGN.md's state diagram, not from the code, plus the one arc
     * the diagram leaves out: a deferral (running -> queued, or scheduled beyond SQS's 15 minutes), which its
     * guarantee 4 needs ("throttling and rate-limit deferrals do not spend attempts").
     */
    private static final String TRANSITIONS = """
                       scheduled  queued  running  retrying  succeeded  dead  cancelled
            scheduled      .        x        .        .         .        .       x
            queued         .        .        x        .         .        .       x
            running        x        x        x        x         x        x       x
            retrying       .        .        x        .         .        .       x
            succeeded      .        .        .        .         .        .       .
            dead           .        x        .        .         .        .       .
            cancelled      .        x        .        .         .        .       .
            """;

    static Stream<Arguments> everyPairOfStates() {
        List<String> lines = TRANSITIONS.lines().filter(l -> !l.isBlank()).toList();
        List<String> columns = Arrays.asList(lines.get(0).trim().split("\\s+"));
        List<Arguments> pairs = new ArrayList<>();
        for (String row : lines.subList(1, lines.size())) {
            String[] cells = row.trim().split("\\s+");
            for (int c = 1; c < cells.length; c++) {
                pairs.add(Arguments.of(JobStatus.fromWire(cells[0]), JobStatus.fromWire(columns.get(c - 1)),
                        cells[c].equals("x")));
            }
        }
        return pairs.stream();
    }

    @Test
    void the_table_names_all_49_pairs_once() {
        Map<String, Integer> seen = new HashMap<>();
        everyPairOfStates().forEach(a -> seen.merge(a.get()[0] + "->" + a.get()[1], 1, Integer::sum));
        assertThat(seen).hasSize(49).allSatisfy((pair, count) -> assertThat(count).isEqualTo(1));
    }

    @ParameterizedTest(name = "{0} -> {1} legal={2}")
    @MethodSource("everyPairOfStates")
    void canMoveTo_allowsExactlyTheTransitionsOfTheTable(JobStatus from, JobStatus to, boolean legal) {
        assertThat(from.canMoveTo(to)).isEqualTo(legal);
    }

    @ParameterizedTest
    @EnumSource(value = JobStatus.class, names = {"SUCCEEDED", "DEAD", "CANCELLED"})
    void isTerminal_forFinishedStates(JobStatus status) {
        assertThat(status.isTerminal()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = JobStatus.class, names = {"SCHEDULED", "QUEUED", "RUNNING", "RETRYING"})
    void isTerminal_notForUnfinishedStates(JobStatus status) {
        assertThat(status.isTerminal()).isFalse();
    }

    @Test
    void claimable_areQueuedRetryingAndRunning() {
        assertThat(JobStatus.claimable()).containsExactlyInAnyOrder(JobStatus.QUEUED, JobStatus.RETRYING,
                JobStatus.RUNNING);
    }

    @Test
    void claimable_statesCanAllMoveToRunning() {
        assertThat(JobStatus.claimable()).allSatisfy(s -> assertThat(s.canMoveTo(JobStatus.RUNNING)).isTrue());
    }

    @Test
    void cancellable_areTheUnfinishedStatesExceptRunning_andCanAllMoveToCancelled() {
        assertThat(JobStatus.cancellable()).containsExactlyInAnyOrder(JobStatus.SCHEDULED, JobStatus.QUEUED,
                JobStatus.RETRYING);
        assertThat(JobStatus.cancellable()).allSatisfy(s -> assertThat(s.canMoveTo(JobStatus.CANCELLED)).isTrue());
    }

    @Test
    void retryable_areDeadAndCancelled_andCanBothMoveToQueued() {
        assertThat(JobStatus.retryable()).containsExactly(JobStatus.DEAD, JobStatus.CANCELLED);
        assertThat(JobStatus.retryable()).allSatisfy(s -> assertThat(s.canMoveTo(JobStatus.QUEUED)).isTrue());
    }

    @Test
    void theSets_cannotBeChangedByTheirReaders() {
        assertThatThrownBy(() -> JobStatus.claimable().add(JobStatus.SUCCEEDED))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> JobStatus.cancellable().add(JobStatus.RUNNING))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> JobStatus.retryable().add(JobStatus.SUCCEEDED))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest
    @EnumSource(JobStatus.class)
    void fromWire_readsBackTheLowercaseWireName(JobStatus status) {
        assertThat(status.wireName()).isEqualTo(status.name().toLowerCase());
        assertThat(JobStatus.fromWire(status.wireName())).isEqualTo(status);
    }

    @Test
    void fromWire_whenUnknown_namesTheValueAndTheKnownOnes() {
        assertThatThrownBy(() -> JobStatus.fromWire("QUEUED"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'QUEUED'")
                .hasMessageContaining("queued").hasMessageContaining("cancelled");
    }
}
