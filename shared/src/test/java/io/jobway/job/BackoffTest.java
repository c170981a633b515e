package io.jobway.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private static final Backoff TWO_SECONDS_UP_TO_15_MINUTES = new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(15));

    /** The random draw at the top of its range: the wait equals the ceiling. */
    private static final RandomGenerator HIGHEST = new RandomGenerator() {
        @Override
        public long nextLong() {
            throw new UnsupportedOperationException();
        }

        @Override
        public long nextLong(long bound) {
            return bound - 1;
        }
    };

    private static final RandomGenerator LOWEST = new RandomGenerator() {
        @Override
        public long nextLong() {
            throw new UnsupportedOperationException();
        }

        @Override
        public long nextLong(long bound) {
            return 0;
        }
    };

    @Test
    void delayAfter_staysBetweenOneSecondAndMinOfCapAndBaseTimesTwoToTheAttemptMinusOne() {
        SplittableRandom random = new SplittableRandom(42);
        for (int attempt = 1; attempt <= 20; attempt++) {
            long ceiling = Math.min(900, 2L * (1L << (attempt - 1)));
            for (int sample = 0; sample < 500; sample++) {
                Duration delay = TWO_SECONDS_UP_TO_15_MINUTES.delayAfter(attempt, random);
                assertThat(delay).as("attempt %d", attempt)
                        .isBetween(Duration.ofSeconds(1), Duration.ofSeconds(ceiling));
            }
        }
    }

    @Test
    void delayAfter_atTheTopOfItsRange_doublesEachAttempt_untilTheCap() {
        Backoff backoff = new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(60));
        List<Long> waits = new ArrayList<>();
        for (int attempt = 1; attempt <= 7; attempt++) {
            waits.add(backoff.delayAfter(attempt, HIGHEST).toSeconds());
        }

        assertThat(waits).containsExactly(2L, 4L, 8L, 16L, 32L, 60L, 60L);
    }

    @Test
    void delayAfter_atTheBottomOfItsRange_isOneSecond() {
        assertThat(TWO_SECONDS_UP_TO_15_MINUTES.delayAfter(9, LOWEST)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void delayAfter_isSpreadOverTheWholeRange_soFailingJobsDoNotRetryTogether() {
        SplittableRandom random = new SplittableRandom(7);
        Set<Long> distinct = new HashSet<>();
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 2_000; i++) {
            long seconds = TWO_SECONDS_UP_TO_15_MINUTES.delayAfter(12, random).toSeconds();
            distinct.add(seconds);
            min = Math.min(min, seconds);
            max = Math.max(max, seconds);
        }

        assertThat(min).isLessThan(90);
        assertThat(max).isGreaterThan(810);
        assertThat(distinct).hasSizeGreaterThan(500);
    }

    @Test
    void delayAfter_aVeryLateAttempt_staysAtTheCapWithoutOverflowing() {
        Backoff longest = new Backoff(Duration.ofHours(1), Backoff.MAX);

        assertThat(longest.delayAfter(Integer.MAX_VALUE, HIGHEST)).isEqualTo(Duration.ofHours(12));
        assertThat(TWO_SECONDS_UP_TO_15_MINUTES.delayAfter(10_000, HIGHEST)).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void delayAfter_aBaseAboveOneSecond_canStillWaitJustOneSecond() {
        assertThat(new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(5)).delayAfter(1, LOWEST))
                .isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void backoff_refusesABaseUnderOneSecond() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 second");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(-1), Duration.ofSeconds(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 second");
        assertThatThrownBy(() -> new Backoff(Duration.ofMillis(500), Duration.ofSeconds(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 second");
    }

    @Test
    void backoff_refusesACapBelowTheBase() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(9)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cap must be between the base and 12 hours").hasMessageContaining("PT9S");
    }

    @Test
    void backoff_refusesACapLongerThanSqsCanHideAMessage() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofHours(12).plusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("12 hours");
        assertThat(new Backoff(Duration.ofSeconds(2), Duration.ofHours(12)).cap()).isEqualTo(Backoff.MAX);
    }
}
