package io.jobway.store;

import static io.jobway.fixtures.Jobs.aJobWithEveryField;
import static io.jobway.fixtures.Jobs.aQueuedJob;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobway.fixtures.JobBuilder;
import io.jobway.fixtures.Jobs;
import io.jobway.job.Attempt;
import io.jobway.job.Job;
import io.jobway.job.JobError;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class JobItemMapperTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00.456Z");

    @Test
    void aJobWithEveryFieldSet_readsBackExactlyAsWritten() {
        Job job = aJobWithEveryField(NOW).build();

        assertThat(JobItemMapper.fromItem(JobItemMapper.toItem(job))).isEqualTo(job);
    }

    @Test
    void aJobWithOnlyItsRequiredFields_readsBackExactly_andStoresNoEmptyAttributes() {
        Job job = new JobBuilder().jobId(Jobs.newJobId()).tenantId("t").type("echo")
                .status(io.jobway.job.JobStatus.QUEUED).createdAt(NOW).version(1).build();

        Map<String, AttributeValue> item = JobItemMapper.toItem(job);

        assertThat(JobItemMapper.fromItem(item)).isEqualTo(job);
        assertThat(item).doesNotContainKeys("payload", "result", "lastError", "progress", "leaseToken", "leaseUntil",
                "cancelRequested", "idempotencyKey", "callbackUrl", "expiresAt", "dueShard", "dueAt", "runAt",
                "attempts", "tags");
    }

    @Test
    void tags_areAListOfStringsInTheOrderGiven_andReadBackSo() {
        Job job = aQueuedJob(NOW).tags("user:42", "a", "campaign/spring-2027").build();

        Map<String, AttributeValue> item = JobItemMapper.toItem(job);

        assertThat(item.get("tags").l()).extracting(AttributeValue::s)
                .containsExactly("user:42", "a", "campaign/spring-2027");
        assertThat(JobItemMapper.fromItem(item).tags()).containsExactly("user:42", "a", "campaign/spring-2027");
    }

    @Test
    void anItemWrittenBeforeTags_readsAsAJobWithNoTags() {
        Map<String, AttributeValue> old = new HashMap<>(JobItemMapper.toItem(aQueuedJob(NOW).tags("t").build()));
        old.remove("tags");

        Job read = JobItemMapper.fromItem(old);

        assertThat(read.tags()).isEmpty();
        assertThat(JobItemMapper.toItem(read)).doesNotContainKey("tags");
    }

    @Test
    void times_areEpochMilliseconds_soConditionsCanCompareThem_butExpiresAtIsEpochSecondsForTtl() {
        Job job = aJobWithEveryField(NOW).build();

        Map<String, AttributeValue> item = JobItemMapper.toItem(job);

        assertThat(item.get("leaseUntil").n()).isEqualTo(Long.toString(job.leaseUntil().toEpochMilli()));
        assertThat(item.get("runAt").n()).isEqualTo(Long.toString(job.runAt().toEpochMilli()));
        assertThat(item.get("expiresAt").n()).isEqualTo(Long.toString(job.expiresAt().getEpochSecond()));
        assertThat(item.get("status").s()).isEqualTo("running");
        assertThat(item.get("cancelRequested").bool()).isTrue();
        assertThat(item.get("lastError").m()).containsKeys("message", "type", "at");
    }

    @Test
    void theErrorsStack_andTheHistory_areStored_theHistoryAsAListOfSmallMaps() {
        Job job = aJobWithEveryField(NOW).build();

        Map<String, AttributeValue> item = JobItemMapper.toItem(job);

        assertThat(item.get("lastError").m().get("stack").s()).isEqualTo(job.lastError().stack());
        List<AttributeValue> attempts = item.get("attempts").l();
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).m()).containsOnlyKeys("n", "s", "f", "o", "et", "em");
        assertThat(attempts.get(0).m().get("o").s()).isEqualTo("failed");
        assertThat(attempts.get(1).m()).as("still running: no end, no outcome").containsOnlyKeys("n", "s");
    }

    @Test
    void anItemWrittenBeforeStacksAndHistories_readsWithNoStackAndNoAttempts() {
        Map<String, AttributeValue> item = new HashMap<>(JobItemMapper.toItem(aJobWithEveryField(NOW).build()));
        item.remove("attempts");
        Map<String, AttributeValue> error = new HashMap<>(item.get("lastError").m());
        error.remove("stack");
        item.put("lastError", AttributeValue.fromM(error));

        Job job = JobItemMapper.fromItem(item);

        assertThat(job.attempts()).isEmpty();
        assertThat(job.lastError()).isEqualTo(new JobError("boom", "IllegalStateException", NOW.minusSeconds(30)));
        assertThat(job.lastError().stack()).isNull();
    }

    @Test
    void attemptsAppendedByTheStoresClaim_haveNoNumber_andCountBackFromTheAttemptCounter() {
        Job job = aJobWithEveryField(NOW).attempt(4).attempts(List.of(
                new Attempt(2, NOW.minusSeconds(60), NOW.minusSeconds(50), Attempt.Outcome.FAILED, "T", "m"))).build();
        Map<String, AttributeValue> item = new HashMap<>(JobItemMapper.toItem(job));
        List<AttributeValue> attempts = new ArrayList<>(item.get("attempts").l());
        attempts.add(JobItemMapper.startedAttempt(NOW.minusSeconds(40))); // a claim whose worker was lost
        attempts.add(JobItemMapper.startedAttempt(NOW.minusSeconds(20))); // the claim after it
        item.put("attempts", AttributeValue.fromL(attempts));

        assertThat(JobItemMapper.fromItem(item).attempts()).containsExactly(
                new Attempt(2, NOW.minusSeconds(60), NOW.minusSeconds(50), Attempt.Outcome.FAILED, "T", "m"),
                new Attempt(3, NOW.minusSeconds(40), null, Attempt.Outcome.LOST, null, null),
                new Attempt(4, NOW.minusSeconds(20), null, null, null, null));
    }

    @Test
    void aTombstone_readsAsNoJob() {
        Map<String, AttributeValue> tombstone = JobItemMapper.tombstone(Jobs.newJobId(), NOW.plus(Duration.ofDays(1)));

        assertThat(JobItemMapper.fromItem(tombstone)).isNull();
        assertThat(tombstone.get("expiresAt").n()).isEqualTo(Long.toString(NOW.plus(Duration.ofDays(1)).getEpochSecond()));
    }

    @Test
    void noItem_orAnEmptyOne_readsAsNoJob() {
        assertThat(JobItemMapper.fromItem(null)).isNull();
        assertThat(JobItemMapper.fromItem(Map.of())).isNull();
    }

    @Test
    void dueAt_putsTheItemInOneOfTheDueShards() {
        Job job = aQueuedJob(NOW).dueAt(NOW.plusSeconds(120)).build();

        Map<String, AttributeValue> item = JobItemMapper.toItem(job);

        assertThat(item.get(JobItemMapper.DUE_SHARD).s())
                .isEqualTo(JobItemMapper.dueShard(job.jobId()))
                .isIn("0", "1", "2", "3");
        assertThat(item.get(JobItemMapper.DUE_AT).n()).isEqualTo(Long.toString(NOW.plusSeconds(120).toEpochMilli()));
    }

    @Test
    void withoutDueAt_theItemStaysOutOfTheSparseDueIndex() {
        Map<String, AttributeValue> item = JobItemMapper.toItem(aQueuedJob(NOW).build());

        assertThat(item).doesNotContainKeys(JobItemMapper.DUE_SHARD, JobItemMapper.DUE_AT);
    }

    @Test
    void dueShards_areAllUsed_soTheDueIndexHasNoHotPartition() {
        Set<String> shards = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            shards.add(JobItemMapper.dueShard(Jobs.newJobId()));
        }

        assertThat(shards).containsExactlyInAnyOrder("0", "1", "2", "3");
    }

    @Test
    void key_isTheJobIdAlone() {
        assertThat(JobItemMapper.key("abc")).isEqualTo(Map.of("jobId", AttributeValue.fromS("abc")));
    }
}
