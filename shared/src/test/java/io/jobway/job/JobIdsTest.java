package io.jobway.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobway.fixtures.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class JobIdsTest {
    private final TestClock clock = TestClock.at(Instant.parse("2026-03-01T12:00:00.123Z"));
    private final JobIds ids = new JobIds(clock);

    @Test
    void next_isACanonicalUuidVersion7WithTheRfcVariant() {
        String id = ids.next();
        UUID uuid = UUID.fromString(id);

        assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(uuid.version()).isEqualTo(7);
        assertThat(uuid.variant()).isEqualTo(2);
        assertThat(uuid.toString()).isEqualTo(id);
        assertThat(JobIds.isValid(id)).isTrue();
    }

    @Test
    void next_carriesTheClockMillisecondsInItsFirst48Bits() {
        UUID uuid = UUID.fromString(ids.next());

        assertThat(uuid.getMostSignificantBits() >>> 16).isEqualTo(clock.millis());
    }

    @Test
    void next_acrossMilliseconds_sortsAsTextInTheOrderOfCreation() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            created.add(ids.next());
            clock.advance(Duration.ofMillis(1 + i % 3));
        }

        assertThat(created).isSorted();
    }

    @Test
    void next_withinOneMillisecond_stillSortsInTheOrderOfCreation() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            created.add(ids.next()); // the clock does not move: the in-millisecond counter must
        }

        assertThat(created).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void next_withinOneMillisecond_isStillUnique() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            seen.add(ids.next());
        }

        assertThat(seen).hasSize(10_000);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
            "0195f3a2-7c1e-7abc-8def-0123456789AB",
            "0195f3a27c1e7abc8def0123456789ab",
            "0195f3a2-7c1e-7abc-8def-0123456789ab0",
            "0195f3a2-7c1e-7abc-8def-0123456789ag",
            "../../etc/passwd",
            "0195f3a2-7c1e-7abc-8def-0123456789a"})
    void isValid_rejectsAnythingButACanonicalLowercaseUuid(String text) {
        assertThat(JobIds.isValid(text)).isFalse();
    }
}
