package io.jobway.examples.dm;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The app's side of the DM queue, a stand-in for its database: the social accounts it sends for (each with its
 * daily limit and time zone), the direct messages waiting to go out, and what went out when. The handlers and
 * the example's test share the one instance, as a real app's handlers share its database.
 */
public final class DmOutbox {
    public enum Priority { HIGH, NORMAL, LOW }

    public record Account(String id, int dailyLimit, ZoneId zone) {
    }

    public record Message(String id, String accountId, Priority priority, Instant dueAt, String text) {
    }

    /** A message as it went out: {@code at} is the drain's fire time, {@code localDate} the account's day then. */
    public record Sent(Message message, Instant at, LocalDate localDate) {
    }

    private static final DmOutbox SHARED = new DmOutbox();
    private static final Comparator<Message> SEND_ORDER = Comparator.comparing(Message::priority)
            .thenComparing(Message::dueAt).thenComparing(Message::id);

    private final Map<String, Account> accounts = new LinkedHashMap<>();
    private final List<Message> waiting = new ArrayList<>();
    private final List<Sent> sent = new ArrayList<>();
    private final List<Instant> drains = new ArrayList<>();

    public static DmOutbox shared() {
        return SHARED;
    }

    public synchronized void clear() {
        accounts.clear();
        waiting.clear();
        sent.clear();
        drains.clear();
    }

    public synchronized void addAccount(Account account) {
        accounts.put(account.id(), account);
    }

    public synchronized void enqueue(Message message) {
        waiting.add(message);
    }

    /**
     * Sends, for each account, the messages due by {@code at} in priority order (then oldest first), as many as its
     * daily limit leaves for its day at {@code at}; the rest wait for a later drain. Sending and counting happen
     * under one lock, so two drains at once cannot go over a limit between them.
     */
    public synchronized Map<String, Integer> drain(Instant at, LinkedInStandIn linkedIn) {
        Map<String, Integer> sentNow = new LinkedHashMap<>();
        for (Account account : accounts.values()) {
            LocalDate day = at.atZone(account.zone()).toLocalDate();
            long already = sent.stream().filter(s -> s.message().accountId().equals(account.id())
                    && s.localDate().equals(day)).count();
            List<Message> due = waiting.stream().filter(m -> m.accountId().equals(account.id())
                    && !m.dueAt().isAfter(at)).sorted(SEND_ORDER).toList();
            int room = (int) Math.max(0, account.dailyLimit() - already);
            for (Message message : due.subList(0, Math.min(room, due.size()))) {
                linkedIn.sendDirectMessage(account.id(), message.text());
                waiting.remove(message);
                sent.add(new Sent(message, at, day));
            }
            sentNow.put(account.id(), Math.min(room, due.size()));
        }
        drains.add(at);
        return sentNow;
    }

    /** How many messages each account of {@code zone} sent on its day {@code date}. */
    public synchronized Map<String, Long> sentOn(ZoneId zone, LocalDate date) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Account account : accounts.values()) {
            if (account.zone().equals(zone)) {
                counts.put(account.id(), sent.stream().filter(s -> s.message().accountId().equals(account.id())
                        && s.localDate().equals(date)).count());
            }
        }
        return counts;
    }

    public synchronized List<Sent> sent() {
        return List.copyOf(sent);
    }

    public synchronized int waitingCount() {
        return waiting.size();
    }

    public synchronized List<Instant> drains() {
        return List.copyOf(drains);
    }
}
