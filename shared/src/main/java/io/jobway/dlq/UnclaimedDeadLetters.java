package io.jobway.dlq;

import java.util.List;

/**
 * Where the sweeper notes the DLQ's messages that never had a job, for {@code GET /v1/dlq/unclaimed}: by the
 * tenant their body names, or, naming none, apart for admins. Each is noted once, however often it is seen.
 */
public interface UnclaimedDeadLetters {
    /** Notes a message; one already noted keeps its first {@code seenAt}. */
    void record(UnclaimedDeadLetter letter);

    /** A tenant's (or, with null, the unattributed) messages, newest sent first, after a page's cursor. */
    Page list(String tenantId, String after, int max);

    record Page(List<UnclaimedDeadLetter> items, String nextAfter) {
    }

}
