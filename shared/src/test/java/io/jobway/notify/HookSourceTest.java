package io.jobway.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobway.notify.HookSourceStore.HookSource;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HookSourceTest {
    private static final Instant ROTATED = Instant.parse("2026-12-03T10:00:00Z");
    private static final HookSource SOURCE = new HookSource("hs_a", "tenant-a", HookSource.STRIPE, "whsec_new", "echo",
            ROTATED.minus(Duration.ofDays(30)), ROTATED, "whsec_old", ROTATED.plus(Duration.ofHours(24)));

    @Test
    void the_secret_before_a_rotation_verifies_until_the_overlap_ends_and_not_after() {
        assertThat(SOURCE.validSecrets(ROTATED.plus(Duration.ofHours(23)))).containsExactly("whsec_new", "whsec_old");
        assertThat(SOURCE.validSecrets(ROTATED.plus(Duration.ofHours(24)))).containsExactly("whsec_new");
    }

    @Test
    void a_source_never_rotated_has_its_one_secret() {
        var fresh = new HookSource("hs_b", "tenant-a", HookSource.STRIPE, "whsec_only", "echo", ROTATED);

        assertThat(fresh.validSecrets(ROTATED)).containsExactly("whsec_only");
    }
}
