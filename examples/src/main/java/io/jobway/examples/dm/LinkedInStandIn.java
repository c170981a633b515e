package io.jobway.examples.dm;

import java.util.ArrayList;
import java.util.List;

/**
 * Stands in for LinkedIn's messaging and publishing calls: it records them, so the example's test can see what
 * reached "LinkedIn". A real client would send the message and throw on a 429 (a {@code RetryLaterException}
 * defers the job without spending an attempt).
 */
public final class LinkedInStandIn {
    /** One call: for which account, with what text. */
    public record Call(String accountId, String text) {
    }

    private final List<Call> directMessages = new ArrayList<>();
    private final List<Call> posts = new ArrayList<>();

    public synchronized void sendDirectMessage(String accountId, String text) {
        directMessages.add(new Call(accountId, text));
    }

    public synchronized void publish(String accountId, String text) {
        posts.add(new Call(accountId, text));
    }

    public synchronized List<Call> directMessages() {
        return List.copyOf(directMessages);
    }

    public synchronized List<Call> posts() {
        return List.copyOf(posts);
    }

    public synchronized void clear() {
        directMessages.clear();
        posts.clear();
    }
}
