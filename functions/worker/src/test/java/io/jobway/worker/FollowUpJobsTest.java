package io.jobway.worker;

import static io.jobway.fixtures.Jobs.aQueuedJob;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobway.fixtures.TestClock;
import io.jobway.handler.JobHandlerRegistry;
import io.jobway.job.Backoff;
import io.jobway.job.Job;
import io.jobway.job.JobSpec;
import io.jobway.job.JobStatus;
import io.jobway.json.Json;
import io.jobway.queue.InMemoryJobQueue;
import io.jobway.queue.JobMessage;
import io.jobway.store.InMemoryJobStore;
import io.jobway.store.JobQuery;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A running job starts follow-up jobs (the receipt email after a payment) without duplicates on retry. */
class FollowUpJobsTest {
    private final TestClock clock = TestClock.startingNow();
    private final InMemoryJobStore store = new InMemoryJobStore();
    private final InMemoryJobQueue queue = new InMemoryJobQueue(clock);

    private EventSourceMapping lambdaRunning(ObservedHandler... handlers) {
        return new EventSourceMapping(queue, new JobRunner(store, queue, JobHandlerRegistry.of(handlers),
                new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1)), Duration.ofDays(30), clock), clock);
    }

    private Job submit(String type) {
        Job job = aQueuedJob(clock.instant()).type(type).payload("{}").maxAttempts(3).build();
        queue.send(JobMessage.of(job), Duration.ZERO);
        store.create(job);
        return job;
    }

    private List<Job> jobsOfType(String tenant, String type) {
        return store.list(tenant, new JobQuery(null, type, 100, null)).items();
    }

    @Test
    void follow_ups_run_for_the_same_tenant_and_a_retried_parent_starts_no_second_copy() {
        List<String> startedIds = new CopyOnWriteArrayList<>();
        ObservedHandler email = new ObservedHandler("email", c -> Json.object().put("to", c.payload().get("to").asText()));
        ObservedHandler payment = new ObservedHandler("payment", c -> {
            startedIds.add(c.submit("email", Json.object().put("to", "ada@example.com")));
            if (c.attempt() == 1) {
                throw new IllegalStateException("the ledger timed out"); // fails after starting its follow-up
            }
            return null;
        });
        Job parent = submit("payment");
        EventSourceMapping lambda = lambdaRunning(payment, email);

        for (int i = 0; i < 5; i++) {
            lambda.deliver();
            clock.advance(Duration.ofSeconds(2));
        }

        assertThat(store.find(parent.jobId()).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(startedIds).hasSize(2);
        assertThat(startedIds.get(1)).as("the retry got the follow-up of attempt 1 back").isEqualTo(startedIds.get(0));
        List<Job> emails = jobsOfType(parent.tenantId(), "email");
        assertThat(emails).extracting(Job::jobId).containsExactly(startedIds.get(0));
        assertThat(emails.get(0).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(email.runs()).isEqualTo(1);
    }

    @Test
    void a_follow_up_of_a_type_the_worker_cannot_run_ends_the_parent_dead_with_a_clear_error() {
        Job parent = submit("payment");
        lambdaRunning(new ObservedHandler("payment", c -> {
            c.submit("sms", Json.object());
            return null;
        })).deliver();

        Job dead = store.find(parent.jobId()).orElseThrow();
        assertThat(dead.status()).isEqualTo(JobStatus.DEAD);
        assertThat(dead.lastError().message()).contains("'sms'").contains("[payment]");
        assertThat(jobsOfType(parent.tenantId(), "sms")).isEmpty();
    }

    @Test
    void a_follow_up_keeps_the_tags_its_spec_gives_and_wrong_ones_end_the_parent_dead() {
        Job parent = submit("payment");
        Job badParent = submit("refund");
        lambdaRunning(new ObservedHandler("payment", c -> {
            c.submit(new JobSpec("email", "{}", 3, 60, 0, null, null).withTags(List.of("user:42", "receipt")));
            return null;
        }), new ObservedHandler("refund", c -> {
            c.submit(new JobSpec("email", "{}", 3, 60, 0, null, null).withTags(List.of("not a tag")));
            return null;
        }), new ObservedHandler("email", c -> null)).deliver();

        assertThat(store.find(parent.jobId()).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(jobsOfType(parent.tenantId(), "email")).singleElement().extracting(Job::tags)
                .isEqualTo(List.of("user:42", "receipt"));
        Job dead = store.find(badParent.jobId()).orElseThrow();
        assertThat(dead.status()).isEqualTo(JobStatus.DEAD);
        assertThat(dead.lastError().message()).contains("tags[0]");
    }
}
