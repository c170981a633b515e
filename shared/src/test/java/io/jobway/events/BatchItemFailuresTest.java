package io.jobway.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The partial batch response, written by the functions and read as Lambda reads it by the local event sources. */
class BatchItemFailuresTest {

    @Test
    void none_is_an_empty_list_of_failures() throws IOException {
        var out = new ByteArrayOutputStream();
        BatchItemFailures.none().write(out);

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"batchItemFailures\":[]}");
    }

    @Test
    void what_is_written_reads_back_the_same_items() throws IOException {
        var out = new ByteArrayOutputStream();
        new BatchItemFailures(List.of("m-1", "m-3")).write(out);

        assertThat(BatchItemFailures.read(out.toString(StandardCharsets.UTF_8)).itemIdentifiers())
                .containsExactly("m-1", "m-3");
    }

    @Test
    void an_empty_answer_or_one_without_failures_asks_for_nothing_again() {
        assertThat(BatchItemFailures.read("").itemIdentifiers()).isEmpty();
        assertThat(BatchItemFailures.read("null").itemIdentifiers()).isEmpty();
        assertThat(BatchItemFailures.read("{}").itemIdentifiers()).isEmpty();
        assertThat(BatchItemFailures.read("{\"batchItemFailures\":null}").itemIdentifiers()).isEmpty();
    }
}
