package io.jobway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ScopesTest {
    @Test
    void admin_covers_every_scope_and_the_others_only_themselves() {
        assertThat(Scopes.grants(Set.of(Scopes.ADMIN), Scopes.JOBS_WRITE)).isTrue();
        assertThat(Scopes.grants(Set.of(Scopes.JOBS_READ), Scopes.JOBS_READ)).isTrue();
        assertThat(Scopes.grants(Set.of(Scopes.JOBS_READ), Scopes.JOBS_WRITE)).isFalse();
        assertThat(Scopes.grants(Scopes.DEFAULT, Scopes.ADMIN)).isFalse();
    }

    @Test
    void a_key_stored_without_scopes_acts_with_the_jobs_scopes_only() {
        assertThat(Scopes.effective(Set.of())).isEqualTo(Set.of(Scopes.JOBS_READ, Scopes.JOBS_WRITE));
        assertThat(Scopes.effective(Set.of(Scopes.JOBS_READ))).isEqualTo(Set.of(Scopes.JOBS_READ));
    }

    @Test
    void parse_reads_a_list_and_names_an_unknown_scope() {
        assertThat(Scopes.parse("jobs:read, admin")).isEqualTo(Set.of(Scopes.JOBS_READ, Scopes.ADMIN));
        assertThatThrownBy(() -> Scopes.parse("jobs:read,jobs:delete"))
                .hasMessage("unknown scope 'jobs:delete'; the scopes are [admin, jobs:read, jobs:write]");
    }
}
