package io.jobway.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobway.aws.Config;
import io.jobway.fixtures.PrimingProbe;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The worker primes itself for SnapStart with no AWS endpoint reachable, and nothing is claimed: the claim it tries
 * is never sent.
 */
class SnapStartPrimingTest {
    @Test
    void the_worker_hands_its_sample_message_back_and_tries_a_claim_without_a_connection() {
        try (PrimingProbe probe = new PrimingProbe()) {
            Config config = probe.config(variables(probe.endpointUrl()));

            new WorkerFunction(config, probe.clients(config)).priming.beforeCheckpoint(null);

            assertThat(probe.operations())
                    .as("each batch's hold; handed back with too little time, refused unsent, and the failed"
                            + " message's backoff, refused fast so asked three times; a claim, refused unsent, and the"
                            + " backoff three times; a poison message's dead letter and its backoff three times")
                    .containsExactly("ChangeMessageVisibilityBatch", "ChangeMessageVisibility",
                            "ChangeMessageVisibility", "ChangeMessageVisibility", "ChangeMessageVisibility",
                            "ChangeMessageVisibilityBatch", "UpdateItem",
                            "ChangeMessageVisibility", "ChangeMessageVisibility", "ChangeMessageVisibility",
                            "ChangeMessageVisibilityBatch", "SendMessage",
                            "ChangeMessageVisibility", "ChangeMessageVisibility", "ChangeMessageVisibility");
            assertThat(probe.connections()).isZero();
        }
    }

    /** The worker's variables, as template.yaml declares them, with its queues at {@code endpoint}. */
    static Map<String, String> variables(String endpoint) {
        return Map.ofEntries(
                Map.entry(Config.LIMITS_TABLE, "limits"), Map.entry(Config.IDEMPOTENCY_TABLE, "idempotency"),
                Map.entry(Config.JOBS_TABLE, "jobs"), Map.entry(Config.JOBS_QUEUE_URL, endpoint + "/000000000000/jobs"),
                Map.entry(Config.JOBS_HIGH_QUEUE_URL, endpoint + "/000000000000/jobs-high"),
                Map.entry(Config.JOBS_LOW_QUEUE_URL, endpoint + "/000000000000/jobs-low"),
                Map.entry(Config.DEAD_LETTER_QUEUE_URL, endpoint + "/000000000000/dead"),
                Map.entry(Config.JOB_TYPES, "echo"), Map.entry(Config.RETRY_BASE_SECONDS, "2"),
                Map.entry(Config.RETRY_CAP_SECONDS, "900"), Map.entry(Config.JOB_RETENTION_DAYS, "30"),
                Map.entry(Config.WEBHOOK_SECRETS_TABLE, "secrets"), Map.entry(Config.ALLOW_PRIVATE_CALLBACK_URLS, "false"));
    }
}
