package io.jobway.local.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A WebSocket client that queues every text message it receives. */
final class Browser implements WebSocket.Listener, AutoCloseable {
    final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
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
        return message;
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
