package io.jobway.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@code jobway up --parameter-overrides} reads the pairs as {@code sam deploy} does. */
class JobwayParameterOverridesTest {
    @Test
    void pairs_separated_by_spaces_are_read_in_order_and_a_value_may_hold_equals_signs() {
        assertThat(Jobway.parameterOverrides(" WorkerBatchingWindowSeconds=1  JobTypes=echo,sleep Odd=a=b "))
                .containsExactly(java.util.Map.entry("WorkerBatchingWindowSeconds", "1"),
                        java.util.Map.entry("JobTypes", "echo,sleep"), java.util.Map.entry("Odd", "a=b"));
    }

    @Test
    void a_pair_without_a_name_or_an_equals_sign_is_refused_by_what_it_is() {
        assertThatThrownBy(() -> Jobway.parameterOverrides("WorkerBatchingWindowSeconds"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'WorkerBatchingWindowSeconds' is not one");
        assertThatThrownBy(() -> Jobway.parameterOverrides("=1")).hasMessageContaining("'=1' is not one");
        assertThatThrownBy(() -> Jobway.parameterOverrides("Bad-Name=1")).hasMessageContaining("'Bad-Name=1'");
    }
}
