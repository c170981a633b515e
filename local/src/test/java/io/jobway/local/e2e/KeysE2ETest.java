package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A tenant's admin makes, lists and revokes its keys through the API; a key is shown once and only once. */
class KeysE2ETest {
    private static final LocalJobway jobway = LocalJobway.shared();
    private static final String ADMIN = "jw_keysadmin_" + "keysadminkeysadmin000001";
    private static final String OTHER_ADMIN = "jw_keysother_" + "keysotherkeysother000001";

    @Test
    void a_key_made_through_the_api_does_what_its_scopes_say_is_listed_without_its_secret_and_revoked() {
        jobway.registerKey(ADMIN, "tenant-keys");
        jobway.registerKey(OTHER_ADMIN, "tenant-keys-other");

        LocalJobway.Response created = jobway.post("/v1/keys", ADMIN, "{\"scopes\":[\"jobs:read\"]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String key = created.json().get("key").asText();
        String keyId = created.json().get("keyId").asText();
        assertThat(key).startsWith("jw_" + keyId + "_");
        assertThat(created.json().get("scopes").toString()).isEqualTo("[\"jobs:read\"]");

        assertThat(jobway.get("/v1/jobs", key).status()).as("jobs:read reads").isEqualTo(200);
        assertThat(jobway.post("/v1/jobs", key, "{\"type\":\"echo\"}").status()).as("but does not submit").isEqualTo(403);

        LocalJobway.Response listed = jobway.get("/v1/keys", ADMIN);
        assertThat(listed.body()).doesNotContain(key.substring(key.lastIndexOf('_') + 1));
        JsonNode mine = listed.json().get("items").findParents("keyId").stream()
                .filter(k -> k.get("keyId").asText().equals(keyId)).findFirst().orElseThrow();
        assertThat(Instant.parse(mine.get("lastUsedAt").asText())).as("the authorizer wrote its use")
                .isAfter(Instant.now().minus(Duration.ofMinutes(1)));
        assertThat(mine.get("revokedAt").isNull()).isTrue();
        assertThat(jobway.get("/v1/keys", OTHER_ADMIN).json().get("items").findValuesAsText("keyId"))
                .as("another tenant's list").doesNotContain(keyId);

        assertThat(jobway.delete("/v1/keys/" + keyId, OTHER_ADMIN).status()).as("another tenant's revoke").isEqualTo(404);
        assertThat(jobway.delete("/v1/keys/" + keyId, ADMIN).status()).isEqualTo(204);
        JsonNode revoked = jobway.get("/v1/keys", ADMIN).json().get("items").findParents("keyId").stream()
                .filter(k -> k.get("keyId").asText().equals(keyId)).findFirst().orElseThrow();
        assertThat(revoked.get("revokedAt").isNull()).isFalse();
        assertThat(jobway.post("/v1/keys", ADMIN, "{\"scopes\":[\"jobs:delete\"]}").status()).isEqualTo(400);
    }
}
