package io.jobway.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobway.aws.Config;
import io.jobway.fixtures.PrimingProbe;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each function of this package primes itself for SnapStart (what Lambda runs before the snapshot) with no AWS
 * endpoint reachable: requests are marshalled and signed with the priming keys, nothing connects, and the
 * submit stops at its idempotency lookup, before a job id is drawn.
 */
class SnapStartPrimingTest {
    /** The API function's variables, as template.yaml declares them (less the endpoints). */
    static final Map<String, String> API = Map.ofEntries(
            Map.entry(Config.JOBS_TABLE, "jobs"), Map.entry(Config.IDEMPOTENCY_TABLE, "idempotency"),
            Map.entry(Config.JOBS_QUEUE_URL, "https://sqs.us-east-1.amazonaws.com/000000000000/jobs"),
            Map.entry(Config.JOBS_HIGH_QUEUE_URL, "https://sqs.us-east-1.amazonaws.com/000000000000/jobs-high"),
            Map.entry(Config.JOBS_LOW_QUEUE_URL, "https://sqs.us-east-1.amazonaws.com/000000000000/jobs-low"),
            Map.entry(Config.DEAD_LETTER_QUEUE_URL, "https://sqs.us-east-1.amazonaws.com/000000000000/jobs-dlq"),
            Map.entry(Config.WEBHOOK_DEAD_LETTER_QUEUE_URL,
                    "https://sqs.us-east-1.amazonaws.com/000000000000/webhooks-dlq"),
            Map.entry(Config.JOB_TYPES, "echo,sleep"), Map.entry(Config.JOB_RETENTION_DAYS, "30"),
            Map.entry(Config.ALLOW_PRIVATE_CALLBACK_URLS, "false"), Map.entry(Config.WEBHOOK_SECRETS_TABLE, "secrets"),
            Map.entry(Config.DELIVERIES_TABLE, "deliveries"), Map.entry(Config.HOOK_SOURCES_TABLE, "hook-sources"),
            Map.entry(Config.API_KEYS_TABLE, "api-keys"),
            Map.entry(Config.LIMITS_TABLE, "limits"), Map.entry(Config.SCHEDULES_TABLE, "schedules"),
            Map.entry(Config.DEAD_LETTERS_TABLE, "dead-letters"), Map.entry(Config.SIGNING_KEYS_TABLE, "signing-keys"),
            Map.entry(Config.TENANT_REQUESTS_PER_MINUTE, "0"), Map.entry(Config.TENANT_JOBS_PER_DAY, "0"));

    @Test
    void the_api_primes_a_submit_and_a_read_without_a_connection_or_a_job_id() {
        try (PrimingProbe probe = new PrimingProbe()) {
            Config config = probe.config(API);
            ApiFunction function = new ApiFunction(config, probe.clients(config));

            function.priming.beforeCheckpoint(null);

            assertThat(probe.operations()).as("idempotency lookup, then the job read; no SendMessage or PutItem")
                    .containsExactly("GetItem", "GetItem");
            assertThat(probe.requests()).allSatisfy(r -> assertThat(r.authorization()).contains("AKIDPRIMING/"));
            assertThat(probe.connections()).isZero();
        }
    }

    @Test
    void the_authorizer_primes_a_key_lookup_without_a_connection() {
        try (PrimingProbe probe = new PrimingProbe()) {
            Config config = probe.config(Map.of(Config.API_KEYS_TABLE, "keys", Config.SIGNING_KEYS_TABLE, "signing-keys"));

            new AuthorizerFunction(config, probe.clients(config)).priming.beforeCheckpoint(null);

            assertThat(probe.operations()).containsExactly("GetItem");
            assertThat(probe.connections()).isZero();
        }
    }

    @Test
    void the_websocket_function_primes_a_subscribe_without_a_connection() {
        try (PrimingProbe probe = new PrimingProbe()) {
            Config config = probe.config(Map.of(Config.API_KEYS_TABLE, "keys", Config.CONNECTIONS_TABLE, "connections",
                    Config.SIGNING_KEYS_TABLE, "signing-keys"));

            new WebSocketFunction(config, probe.clients(config)).priming.beforeCheckpoint(null);

            assertThat(probe.operations()).containsExactly("GetItem");
            assertThat(probe.connections()).isZero();
        }
    }
}
