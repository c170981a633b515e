package io.jobway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The chaos soak's ledger, drawn from what the soak itself recorded (every 202, every answer) and from the side
 * effect sink, then checked against what the API says of each job:
 * <ul>
 *   <li>every accepted job ends in one terminal state (none lost, none stuck);</li>
 *   <li>no attempt ran twice, and no job ran again after its recorded success (duplicated = 0);</li>
 *   <li>every succeeded job committed its effect; every dead job has its reason and is listed by the DLQ;</li>
 *   <li>every job with a callback that finished got exactly one webhook delivered (one webhook-id answered 2xx;
 *       a repeat of it, which a receiver drops by its id, is counted apart); one whose receiver never answers in
 *       time got none and its webhook is in the webhook DLQ after its attempts;</li>
 *   <li>each fire time of the cron schedule made at most one job, and each of them ended succeeded (a fire time
 *       no sweep reached in time is missed by design, {@code catchUp}, and counted apart);</li>
 *   <li>every poison message is listed by {@code GET /v1/dlq/unclaimed?unattributed=true} to an admin key;</li>
 *   <li>no request got a 5xx other than 503, which an injected fault may cause.</li>
 * </ul>
 */
final class ChaosLedger {
    private final ChaosSoak.Api api;
    private final SideEffectSink sink;
    private final software.amazon.awssdk.services.sqs.SqsClient sqs;
    private final String adminKey;

    ChaosLedger(ChaosSoak.Api api, SideEffectSink sink, software.amazon.awssdk.services.sqs.SqsClient sqs,
                String adminKey) {
        this.api = api;
        this.sink = sink;
        this.sqs = sqs;
        this.adminKey = adminKey;
    }

    record Report(String text, boolean clean) {
    }

    Report settle(List<ChaosSoak.Accepted> accepted, Instant deadline, Map<Integer, Integer> statuses, int kills,
                  List<String> poison, Instant scheduled, Instant loadEnded) throws InterruptedException {
        Map<String, JsonNode> finals = new LinkedHashMap<>();
        Set<String> pending = new HashSet<>();
        accepted.forEach(a -> pending.add(a.jobId()));
        while (!pending.isEmpty() && Instant.now().isBefore(deadline)) {
            for (String jobId : List.copyOf(pending)) {
                JsonNode job = api.getJson("/v1/jobs/" + jobId);
                if (job != null && ChaosSoak.terminal().contains(job.path("status").asText())) {
                    finals.put(jobId, job);
                    pending.remove(jobId);
                }
            }
            if (!pending.isEmpty()) {
                Thread.sleep(2_000);
            }
        }
        Thread.sleep(5_000); // the last callbacks (retried 1 s, then 2 s apart) arrive
        Set<String> inDlq = deadLettered();
        List<String> problems = new ArrayList<>();
        Set<String> neverAnswered = new HashSet<>();
        accepted.stream().filter(a -> a.kind() == ChaosSoak.Kind.CALLBACK_NEVER_ANSWERED)
                .filter(a -> finals.containsKey(a.jobId())).forEach(a -> neverAnswered.add(a.jobId()));
        Set<String> webhooksDead = awaitWebhookDeadLetters(neverAnswered, deadline);
        Set<String> unclaimed = awaitUnclaimed(Set.copyOf(poison), deadline);
        poison.stream().filter(body -> !unclaimed.contains(body)).forEach(body -> problems.add("poison message "
                + body + " is not listed by GET /v1/dlq/unclaimed?unattributed=true"));
        String cron = cronLedger(scheduled, loadEnded, deadline, problems);

        Map<String, Integer> ends = new TreeMap<>();
        int redeliveredEffects = 0;
        int redeliveredHooks = 0;
        for (ChaosSoak.Accepted job : accepted) {
            JsonNode view = finals.get(job.jobId());
            if (view == null) {
                continue; // counted as lost below
            }
            String status = view.path("status").asText();
            ends.merge(job.kind() + " " + status, 1, Integer::sum);
            int attempt = view.path("attempt").asInt();
            for (int n = 1; n <= attempt + 3; n++) {
                AtomicInteger runs = sink.executions.get(job.jobId() + " " + n);
                if (runs != null && runs.get() > 1) {
                    problems.add(job.jobId() + ": attempt " + n + " ran " + runs.get() + " times");
                }
                if (runs != null && n > attempt) {
                    problems.add(job.jobId() + ": attempt " + n + " ran after the job ended " + status + " at attempt "
                            + attempt);
                }
            }
            AtomicInteger commits = sink.commits.get(job.jobId());
            if (status.equals("succeeded") && commits == null) {
                problems.add(job.jobId() + ": succeeded, but its effect was never committed");
            }
            if (commits != null && commits.get() > 1) {
                redeliveredEffects++;
            }
            if (status.equals("dead") && (view.path("error").isNull() || !inDlq.contains(job.jobId()))) {
                problems.add(job.jobId() + ": dead without its reason, or not listed by GET /v1/dlq");
            }
            if (job.kind() == ChaosSoak.Kind.CALLBACK_NEVER_ANSWERED) {
                if (sink.hooksDelivered.containsKey(job.jobId())) {
                    problems.add(job.jobId() + ": its receiver never answered in time, yet a webhook was delivered");
                }
                if (!webhooksDead.contains(job.jobId())) {
                    problems.add(job.jobId() + ": its receiver never answered, and its webhook is not in the webhook"
                            + " DLQ after " + ChaosSoak.WEBHOOK_ATTEMPTS + " attempts");
                }
            }
            if (job.kind() == ChaosSoak.Kind.CALLBACK) {
                Set<String> delivered = sink.hooksDelivered.getOrDefault(job.jobId(), Set.of());
                if (delivered.size() != 1) {
                    problems.add(job.jobId() + ": " + delivered.size() + " webhooks were delivered for it, not one");
                }
                AtomicInteger answers = sink.hookAnswers.get(job.jobId());
                if (answers != null && answers.get() > 1) {
                    redeliveredHooks++;
                }
            }
        }
        List<String> lost = accepted.stream().map(ChaosSoak.Accepted::jobId).filter(id -> !finals.containsKey(id))
                .toList();
        for (String id : lost) { // first in the report: the promise that matters most
            JsonNode last = api.getJson("/v1/jobs/" + id);
            problems.add(0, id + ": accepted, not in a terminal state by the deadline: "
                    + (last == null ? "not found" : last.path("status").asText() + " " + last));
        }
        statuses.forEach((status, n) -> {
            if (status >= 500 && status != 503) {
                problems.add(n + " answers with status " + status);
            }
        });

        StringBuilder text = new StringBuilder();
        text.append(String.format("chaos ledger: %d SIGKILLs; answers %s%n", kills, statuses));
        text.append(String.format("  accepted %d, terminal %d: succeeded %d, dead %d, cancelled %d; lost %d;"
                        + " duplicated %d%n", accepted.size(), finals.size(), count(finals, "succeeded"),
                count(finals, "dead"), count(finals, "cancelled"), lost.size(),
                problems.stream().filter(p -> p.contains(" ran ")).count()));
        text.append(String.format("  effects delivered again after a kill or a lost answer, committed once by the"
                + " sink's key: %d jobs%n", redeliveredEffects));
        text.append(String.format("  callbacks delivered again with the same webhook-id (taken once by the"
                + " receiver): %d jobs%n", redeliveredHooks));
        text.append("  ends by kind: ").append(ends).append('\n');
        text.append(String.format("  webhooks of receivers that never answered, in the webhook DLQ: %d of %d%n",
                webhooksDead.stream().filter(neverAnswered::contains).count(), neverAnswered.size()));
        text.append(String.format("  poison messages listed by /v1/dlq/unclaimed: %d of %d%n",
                poison.stream().filter(unclaimed::contains).count(), poison.size()));
        text.append("  cron: ").append(cron).append('\n');
        problems.stream().limit(30).forEach(p -> text.append("  PROBLEM ").append(p).append('\n'));
        if (problems.size() > 30) {
            text.append("  ... and ").append(problems.size() - 30).append(" more problems\n");
        }
        text.append(problems.isEmpty() ? "  every promise of the ledger held\n" : "  FAILED\n");
        return new Report(text.toString(), problems.isEmpty());
    }

    /**
     * The schedule's jobs, as the sink saw them called: each ends succeeded, and no fire time (in its idempotency
     * key) has two. Fire times from the first minute after it was made to the end of the load with no job are counted.
     */
    private String cronLedger(Instant scheduled, Instant loadEnded, Instant deadline, List<String> problems)
            throws InterruptedException {
        Map<Instant, List<String>> byFireTime = new TreeMap<>();
        for (String jobId : Set.copyOf(sink.cronJobs)) {
            JsonNode job = api.getJson("/v1/jobs/" + jobId);
            while ((job == null || !job.path("status").asText().equals("succeeded")) && Instant.now().isBefore(deadline)) {
                Thread.sleep(2_000);
                job = api.getJson("/v1/jobs/" + jobId);
            }
            if (job == null || !job.path("status").asText().equals("succeeded")) {
                problems.add(0, "cron job " + jobId + " did not end succeeded: " + job);
                continue;
            }
            String key = job.path("idempotencyKey").asText(); // schedule:<name>:<fire time, epoch seconds>
            byFireTime.computeIfAbsent(Instant.ofEpochSecond(Long.parseLong(key.substring(key.lastIndexOf(':') + 1))),
                    k -> new ArrayList<>()).add(jobId);
        }
        byFireTime.forEach((fireTime, ids) -> {
            if (ids.size() > 1) {
                problems.add("cron fire time " + fireTime + " made " + ids.size() + " jobs: " + ids);
            }
        });
        int missed = 0;
        Instant minute = scheduled.truncatedTo(java.time.temporal.ChronoUnit.MINUTES).plusSeconds(60);
        for (; !minute.isAfter(loadEnded); minute = minute.plusSeconds(60)) {
            if (!byFireTime.containsKey(minute)) {
                missed++;
            }
        }
        return String.format("%d fire times ran, each once; %d fire times up to the load's end had no job (no"
                + " sweep ran within 2 minutes of them: missed by design)", byFireTime.size(), missed);
    }

    /** The jobs whose webhook is in the webhook DLQ, read (and left there) until all of {@code expected} are. */
    private Set<String> awaitWebhookDeadLetters(Set<String> expected, Instant deadline) throws InterruptedException {
        String url = sqs.getQueueUrl(b -> b.queueName("jobway-local-WebhookDeadLetterQueue")).queueUrl();
        Set<String> seen = new HashSet<>();
        do {
            List<software.amazon.awssdk.services.sqs.model.Message> messages;
            do {
                messages = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(20)
                        .waitTimeSeconds(1)).messages();
                messages.forEach(m -> seen.add(io.jobway.json.Json.parse(m.body()).path("jobId").asText()));
            } while (!messages.isEmpty());
            if (!seen.containsAll(expected)) {
                Thread.sleep(21_000); // the ones read come back into sight with the rest
            }
        } while (!seen.containsAll(expected) && Instant.now().isBefore(deadline));
        return seen;
    }

    /** The bodies {@code GET /v1/dlq/unclaimed?unattributed=true} lists, asked until all of {@code expected} are. */
    private Set<String> awaitUnclaimed(Set<String> expected, Instant deadline) throws InterruptedException {
        Set<String> bodies = new HashSet<>();
        do {
            String cursor = null;
            do {
                JsonNode page = api.getJson("/v1/dlq/unclaimed?unattributed=true&limit=100"
                        + (cursor == null ? "" : "&cursor=" + cursor), adminKey);
                if (page == null) {
                    break;
                }
                page.path("items").forEach(item -> bodies.add(item.path("body").asText()));
                cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText(null);
            } while (cursor != null);
            if (!bodies.containsAll(expected)) {
                Thread.sleep(5_000); // the sweeper notes them, once a minute
            }
        } while (!bodies.containsAll(expected) && Instant.now().isBefore(deadline));
        return bodies;
    }

    private static long count(Map<String, JsonNode> finals, String status) {
        return finals.values().stream().filter(j -> j.path("status").asText().equals(status)).count();
    }

    /** The ids of every dead job GET /v1/dlq lists, page by page. */
    private Set<String> deadLettered() {
        Set<String> ids = new HashSet<>();
        String cursor = null;
        do {
            JsonNode page = api.getJson("/v1/dlq?limit=100" + (cursor == null ? "" : "&cursor=" + cursor));
            if (page == null) {
                break;
            }
            page.path("items").forEach(item -> ids.add(item.path("jobId").asText()));
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText(null);
        } while (cursor != null);
        return ids;
    }
}
