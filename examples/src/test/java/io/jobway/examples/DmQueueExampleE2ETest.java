package io.jobway.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.examples.dm.DmDrainHandler;
import io.jobway.examples.dm.DmOutbox;
import io.jobway.examples.dm.DmOutbox.Account;
import io.jobway.examples.dm.DmOutbox.Message;
import io.jobway.examples.dm.DmOutbox.Priority;
import io.jobway.examples.dm.LinkedInStandIn;
import io.jobway.local.AdjustableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The social-media DM queue, two days of it in seconds: the runtime's functions read a clock the test moves on 15
 * minutes at a time, firing the sweeper at each step as its one-minute timer would.
 */
class DmQueueExampleE2ETest {
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final AdjustableClock CLOCK = new AdjustableClock();
    private static ExampleStack stack;

    @BeforeAll
    static void start() {
        stack = new ExampleStack(CLOCK, "jobway-dm");
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void two_days_of_15_minute_drains_send_each_account_its_daily_limit_in_priority_order_and_lose_nothing()
            throws InterruptedException {
        DmOutbox outbox = DmOutbox.shared();
        outbox.clear();
        DmDrainHandler.LINKEDIN.clear();
        Instant start = CLOCK.instant().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1)); // a UTC midnight
        CLOCK.advanceTo(start.minusSeconds(60));
        Map<String, Integer> queued = Map.of("acct-ny", 30, "acct-berlin", 40, "acct-utc", 50);
        outbox.addAccount(new Account("acct-ny", 20, NEW_YORK));
        outbox.addAccount(new Account("acct-berlin", 50, BERLIN));
        outbox.addAccount(new Account("acct-utc", 30, UTC));
        Priority[] cycle = {Priority.LOW, Priority.NORMAL, Priority.HIGH, Priority.NORMAL};
        queued.forEach((account, n) -> {
            for (int i = 0; i < n; i++) {
                outbox.enqueue(new Message(account + "-" + i, account, cycle[i % cycle.length],
                        start.minusSeconds(n - i), "hello " + i));
            }
        });
        createSchedule("{\"name\":\"dm-drain\",\"cron\":\"*/15 * * * *\",\"job\":{\"type\":\"dm-drain\"}}");
        for (ZoneId zone : List.of(NEW_YORK, BERLIN, UTC)) {
            createSchedule("{\"name\":\"analytics-" + zone.getId().replace('/', '-') + "\",\"cron\":\"@midnight\","
                    + "\"timezone\":\"" + zone.getId() + "\",\"job\":{\"type\":\"dm-analytics\",\"payload\":"
                    + "{\"timezone\":\"" + zone.getId() + "\"}}}");
        }
        Instant postAt = start.plus(Duration.ofHours(9)).plus(Duration.ofMinutes(30));
        String post = stack.submit("{\"type\":\"post\",\"payload\":{\"accountId\":\"acct-berlin\",\"text\":\"launch\"},"
                + "\"runAt\":\"" + postAt + "\"}");
        assertThat(stack.job(post).get("status").asText()).isEqualTo("scheduled");

        Instant end = start.plus(Duration.ofDays(2));
        for (Instant tick = start; !tick.isAfter(end); tick = tick.plus(Duration.ofMinutes(15))) {
            CLOCK.advanceTo(tick);
            stack.runtime.fireSchedules();
            awaitDrain(outbox, tick);
            if (tick.equals(postAt)) { // before the clock moves on, or it would start "late" by a tick
                stack.awaitStatus(post, "succeeded", Duration.ofSeconds(10));
            }
        }

        // every message went out once, none over a limit, the rest carried to the next day
        List<DmOutbox.Sent> sent = outbox.sent();
        assertThat(sent).extracting(s -> s.message().id()).doesNotHaveDuplicates().hasSize(120);
        assertThat(outbox.waitingCount()).isZero();
        assertThat(perDay(sent, "acct-ny")).containsExactly(20L, 10L); // 19:00 the evening before in New York
        assertThat(perDay(sent, "acct-berlin")).containsExactly(40L);
        assertThat(perDay(sent, "acct-utc")).containsExactly(30L, 20L);
        for (String account : queued.keySet()) {
            List<Priority> order = sent.stream().filter(s -> s.message().accountId().equals(account))
                    .map(s -> s.message().priority()).toList();
            assertThat(order).as("%s in priority order", account).isSortedAccordingTo(Enum::compareTo);
        }
        assertThat(DmDrainHandler.LINKEDIN.directMessages()).as("what reached LinkedIn, in the order sent")
                .containsExactlyElementsOf(sent.stream()
                        .map(s -> new LinkedInStandIn.Call(s.message().accountId(), s.message().text())).toList());
        // the scheduled post ran at its time, once
        JsonNode published = stack.awaitStatus(post, "succeeded", Duration.ofSeconds(10));
        assertThat(DmDrainHandler.LINKEDIN.posts()).containsExactly(new LinkedInStandIn.Call("acct-berlin", "launch"));
        assertThat(Duration.between(postAt, Instant.parse(published.get("startedAt").asText())).abs())
                .isLessThanOrEqualTo(Duration.ofSeconds(2));
        // each zone's midnight counted its accounts' day that just ended
        assertThat(analytics("analytics-UTC")).containsEntry(start.atZone(UTC).toLocalDate().toString(), 30L)
                .containsEntry(start.atZone(UTC).toLocalDate().plusDays(1).toString(), 20L);
        LocalDate firstNewYorkDay = start.atZone(NEW_YORK).toLocalDate();
        assertThat(analytics("analytics-America-New_York")).containsEntry(firstNewYorkDay.toString(), 20L)
                .containsEntry(firstNewYorkDay.plusDays(1).toString(), 10L);
        assertThat(analytics("analytics-Europe-Berlin")).containsEntry(start.atZone(BERLIN).toLocalDate().toString(),
                40L);
    }

    private static void createSchedule(String body) {
        ExampleStack.Response created = stack.post("/v1/schedules", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    /** Waits for the drain of fire time {@code tick} to have run. */
    private static void awaitDrain(DmOutbox outbox, Instant tick) throws InterruptedException {
        Instant patience = Instant.now().plusSeconds(10);
        while (!outbox.drains().contains(tick)) {
            assertThat(Instant.now()).as("the drain of %s ran", tick).isBefore(patience);
            Thread.sleep(10);
        }
    }

    /** Messages an account sent per day of its own, in date order. */
    private static List<Long> perDay(List<DmOutbox.Sent> sent, String account) {
        return new ArrayList<>(sent.stream().filter(s -> s.message().accountId().equals(account))
                .collect(Collectors.groupingBy(DmOutbox.Sent::localDate, TreeMap::new, Collectors.counting()))
                .values());
    }

    /** What the analytics jobs of one schedule counted, by date: the accounts' sends summed. */
    private static Map<String, Long> analytics(String schedule) throws InterruptedException {
        Map<String, Long> byDate = new HashMap<>();
        JsonNode jobs = stack.get("/v1/jobs?type=dm-analytics&limit=100").json().get("items");
        for (JsonNode job : jobs) {
            JsonNode done = stack.awaitStatus(job.get("jobId").asText(), "succeeded", Duration.ofSeconds(10));
            String zone = done.get("result").get("timezone").asText();
            if (schedule.equals("analytics-" + zone.replace('/', '-'))) {
                long total = 0;
                for (JsonNode n : done.get("result").get("sent")) {
                    total += n.asLong();
                }
                byDate.put(done.get("result").get("date").asText(), total);
            }
        }
        return byDate;
    }
}
