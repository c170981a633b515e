package io.jobway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The chaos soak's short version (the long one: {@code ./jobway bench chaos}): 45 s of mixed jobs at 5 a second on
 * a runtime whose AWS calls fail on purpose, killed twice with SIGKILL; then every promise of the ledger holds.
 */
class ChaosSoakTest {
    @Test
    void under_injected_faults_and_kills_no_accepted_job_is_lost_run_twice_or_left_without_its_effect() throws Exception {
        ChaosLedger.Report report = ChaosSoak.run(Path.of("target", "chaos"), Duration.ofSeconds(45), 5, 2);

        System.out.println(report.text());
        assertThat(report.clean()).as(report.text()).isTrue();
        assertThat(report.text()).contains("lost 0").contains("duplicated 0");
    }
}
