package io.jobway.examples.dm;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Stands in for LinkedIn's messaging and publishing calls: it counts them. A real client would send the message
 * and throw on a 429 (a {@code RetryLaterException} defers the job without spending an attempt).
 */
public final class LinkedInStandIn {
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong posts = new AtomicLong();

    public void sendDirectMessage(String accountId, String text) {
        messages.incrementAndGet();
    }

    public void publish(String accountId, String text) {
        posts.incrementAndGet();
    }

    public long messagesSent() {
        return messages.get();
    }

    public long postsPublished() {
        return posts.get();
    }
}
