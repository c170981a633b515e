package io.jobway.local.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A WebSocket client that queues every text message it receives, and keeps those it has read. */
final class Browser implements WebSocket.Listener, AutoCloseable {
    final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final List<JsonNode> seen = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    WebSocket socket;

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            received.add(Json.parse(partial.toString()));
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    /** The answer to what the browser sent; the tenant's job events may come before it and are passed over. */
    JsonNode answer(Duration timeout) throws InterruptedException {
        JsonNode message;
        do {
            message = next(timeout);
        } while (message.get("type").asText().equals("job"));
        return message;
    }

    JsonNode next(Duration timeout) throws InterruptedException {
        JsonNode message = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (message == null) {
            throw new AssertionError("no message within " + timeout);
        }
        seen.add(message);
        return message;
    }

    /** The next acknowledgement of a subscription; the messages before it are kept for {@link #all}. */
    JsonNode awaitSubscribed(Duration timeout) throws InterruptedException {
        return awaitMessage(m -> m.path("type").asText().equals("subscribed"), timeout)
                .orElseThrow(() -> new AssertionError("no answer to a subscription within " + timeout));
    }

    /** Whether an event of the job in that status comes within the timeout. */
    boolean awaitJobEvent(String jobId, String status, Duration timeout) throws InterruptedException {
        return awaitMessage(m -> m.path("jobId").asText().equals(jobId) && m.path("status").asText().equals(status),
                timeout).isPresent();
    }

    private Optional<JsonNode> awaitMessage(Predicate<JsonNode> wanted, Duration timeout) throws InterruptedException {
        Instant end = Instant.now().plus(timeout);
        while (Instant.now().isBefore(end)) {
            JsonNode message = received.poll(100, TimeUnit.MILLISECONDS);
            if (message != null) {
                seen.add(message);
                if (wanted.test(message)) {
                    return Optional.of(message);
                }
            }
        }
        return Optional.empty();
    }

    /** Every message received so far. */
    List<JsonNode> all() {
        received.drainTo(seen);
        return List.copyOf(seen);
    }

    /** Connects to the runtime's WebSocket API with {@code token} (an API key or a browser token). */
    static Browser connect(LocalJobway jobway, String token) {
        Browser browser = new Browser();
        URI url = URI.create(jobway.webSocketUrl() + "?token=" + token);
        browser.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(url, browser).join();
        return browser;
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }
}
