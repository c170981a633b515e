package io.jobway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobway.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A browser token names job ids or a tag; it verifies as issued and not once edited, re-signed or expired. */
class BrowserTokensTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final String JOB = "01900000-0000-7000-8000-00000000000a";
    private final BrowserTokens tokens = new BrowserTokens(SigningKeys.of("the deployment's secret".getBytes()));

    @Test
    void a_tag_token_verifies_as_the_tag_grant_it_was_issued_for() {
        BrowserTokens.Grant grant = BrowserTokens.Grant.ofTag("tenant-a", "user:42", NOW.plusSeconds(600));

        BrowserTokens.Grant read = tokens.verify(tokens.issue(grant), NOW).orElseThrow();

        assertThat(read).isEqualTo(grant);
        assertThat(read.tag()).isEqualTo("user:42");
        assertThat(read.jobIds()).isEmpty();
    }

    @Test
    void a_tag_tokens_claims_are_the_tenant_the_tag_and_the_expiry_in_one_letter_each() {
        String token = tokens.issue(BrowserTokens.Grant.ofTag("tenant-a", "user:42", NOW.plusSeconds(600)));

        String claims = new String(Base64.getUrlDecoder().decode(token.substring(BrowserTokens.PREFIX.length(),
                token.indexOf('.'))), StandardCharsets.UTF_8);

        assertThat(Json.parse(claims)).isEqualTo(Json.parse("{\"t\":\"tenant-a\",\"e\":" + NOW.plusSeconds(600)
                .getEpochSecond() + ",\"g\":\"user:42\"}"));
    }

    @Test
    void a_job_id_token_still_verifies_with_no_tag() {
        BrowserTokens.Grant grant = new BrowserTokens.Grant("tenant-a", Set.of(JOB), NOW.plusSeconds(600));

        BrowserTokens.Grant read = tokens.verify(tokens.issue(grant), NOW).orElseThrow();

        assertThat(read.tag()).isNull();
        assertThat(read.jobIds()).containsExactly(JOB);
    }

    @Test
    void a_grant_covers_the_jobs_it_names_or_the_jobs_carrying_its_tag() {
        BrowserTokens.Grant byTag = BrowserTokens.Grant.ofTag("tenant-a", "user:42", NOW);
        BrowserTokens.Grant byIds = new BrowserTokens.Grant("tenant-a", Set.of(JOB), NOW);

        assertThat(byTag.covers(JOB, List.of("x", "user:42"))).isTrue();
        assertThat(byTag.covers(JOB, List.of("user:4"))).isFalse();
        assertThat(byTag.covers(JOB, List.of())).isFalse();
        assertThat(byIds.covers(JOB, List.of())).isTrue();
        assertThat(byIds.covers("01900000-0000-7000-8000-00000000000b", List.of("user:42"))).isFalse();
    }

    @Test
    void a_tag_token_edited_to_another_tag_signed_elsewhere_or_expired_is_refused() {
        String good = tokens.issue(BrowserTokens.Grant.ofTag("tenant-a", "user:42", NOW.plusSeconds(600)));
        String claims = new String(Base64.getUrlDecoder().decode(good.substring(BrowserTokens.PREFIX.length(),
                good.indexOf('.'))), StandardCharsets.UTF_8);
        String edited = BrowserTokens.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(
                claims.replace("user:42", "user:43").getBytes(StandardCharsets.UTF_8))
                + good.substring(good.indexOf('.'));
        String foreign = new BrowserTokens(SigningKeys.of("another deployment".getBytes()))
                .issue(BrowserTokens.Grant.ofTag("tenant-a", "user:42", NOW.plusSeconds(600)));

        assertThat(tokens.verify(edited, NOW)).isEmpty();
        assertThat(tokens.verify(foreign, NOW)).isEmpty();
        assertThat(tokens.verify(good, NOW.plusSeconds(600))).isEmpty();
    }

    @Test
    void a_grant_of_job_ids_and_a_tag_at_once_cannot_be_made() {
        assertThatThrownBy(() -> new BrowserTokens.Grant("tenant-a", Set.of(JOB), "user:42", NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
