package io.jobway.dlq;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The in-memory twin of {@link DynamoUnclaimedDeadLetters} for tests: the same order and pages. */
public final class InMemoryUnclaimedDeadLetters implements UnclaimedDeadLetters {
    private final Map<String, UnclaimedDeadLetter> byMessageId = new LinkedHashMap<>();

    @Override
    public synchronized void record(UnclaimedDeadLetter letter) {
        byMessageId.putIfAbsent(letter.messageId(), letter);
    }

    @Override
    public synchronized Page list(String tenantId, String after, int max) {
        List<UnclaimedDeadLetter> mine = new ArrayList<>(byMessageId.values().stream()
                .filter(l -> Objects.equals(l.tenantId(), tenantId))
                .sorted(Comparator.comparing(DynamoUnclaimedDeadLetters::sortKey).reversed())
                .filter(l -> after == null || DynamoUnclaimedDeadLetters.sortKey(l).compareTo(after) < 0)
                .toList());
        List<UnclaimedDeadLetter> page = mine.subList(0, Math.min(max, mine.size()));
        return new Page(List.copyOf(page), mine.size() > max ? DynamoUnclaimedDeadLetters.sortKey(page.get(max - 1)) : null);
    }
}
