package io.jobway.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.json.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Follows one job as a browser would: subscribed over the WebSocket API, it draws each status and progress
 * change as it comes, and returns the job as it ended.
 */
public final class JobWatcher {
    private static final Set<String> FINISHED = Set.of("succeeded", "dead", "cancelled");
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(10);

    private final ApiClient api;
    private final URI webSocketUrl;
    private final PrintStream out;
    private final boolean interactive;

    public JobWatcher(ApiClient api, URI webSocketUrl, PrintStream out, boolean interactive) {
        this.api = api;
        this.webSocketUrl = webSocketUrl;
        this.out = out;
        this.interactive = interactive;
    }

    /** Watches until the job finishes or {@code timeout} passes; returns its last state. */
    public JsonNode watch(String jobId, Duration timeout) throws IOException, InterruptedException {
        BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(webSocketUrl + "?token=" + URLEncoder.encode(api.key(), StandardCharsets.UTF_8)),
                        new Listener(events)).join();
        try {
            socket.sendText(Json.write(Json.object().put("action", "subscribe").put("jobId", jobId)), true).join();
            List<JsonNode> early = awaitAcknowledgement(events);
            // The job may have moved before the subscription: start from its current state.
            JsonNode current = api.job(jobId);
            draw(current);
            for (JsonNode event : early) {
                current = follow(jobId, event, current);
            }
            Instant end = Instant.now().plus(timeout);
            while (!FINISHED.contains(current.path("status").asText())) {
                long left = Duration.between(Instant.now(), end).toMillis();
                JsonNode event = left <= 0 ? null : events.poll(left, TimeUnit.MILLISECONDS);
                if (event == null) {
                    throw new IOException("job " + jobId + " did not finish within " + timeout.toSeconds() + " s");
                }
                current = follow(jobId, event, current);
            }
            if (interactive) {
                out.println();
            }
            return api.job(jobId); // with its result or error
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }

    /**
     * Waits for the answer to the subscription and returns the job's events that came before it: once the
     * subscription is stored, the notifier may push an event before API Gateway sends the route's answer.
     */
    private static List<JsonNode> awaitAcknowledgement(BlockingQueue<JsonNode> events)
            throws IOException, InterruptedException {
        List<JsonNode> early = new ArrayList<>();
        Instant end = Instant.now().plus(ACK_TIMEOUT);
        while (true) {
            long left = Duration.between(Instant.now(), end).toMillis();
            JsonNode message = left <= 0 ? null : events.poll(left, TimeUnit.MILLISECONDS);
            if (message == null) {
                throw new IOException("the WebSocket API did not answer the subscription within "
                        + ACK_TIMEOUT.toSeconds() + " s");
            }
            switch (message.path("type").asText()) {
                case "subscribed" -> {
                    return early;
                }
                case "job" -> early.add(message);
                default -> throw new IOException("the WebSocket API did not accept the subscription: " + message);
            }
        }
    }

    /** Draws an event of the job that is newer than what is drawn; returns the job's state now. */
    private JsonNode follow(String jobId, JsonNode event, JsonNode current) {
        if (!jobId.equals(event.path("jobId").asText()) || olderThan(event, current)) {
            return current;
        }
        draw(event);
        return event;
    }

    /** Events that were already on their way when the current state was read are not drawn again. */
    private static boolean olderThan(JsonNode event, JsonNode current) {
        String at = event.path("updatedAt").asText(null);
        String currentAt = current.path("updatedAt").asText(null);
        return at != null && currentAt != null && Instant.parse(at).isBefore(Instant.parse(currentAt));
    }

    private void draw(JsonNode job) {
        String line = ProgressLine.of(job);
        if (interactive) {
            out.print("\r" + line + "\u001B[K");
            out.flush();
        } else {
            out.println(line);
        }
    }

    private static final class Listener implements WebSocket.Listener {
        private final BlockingQueue<JsonNode> events;
        private final StringBuilder partial = new StringBuilder();

        Listener(BlockingQueue<JsonNode> events) {
            this.events = events;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                events.add(Json.parse(partial.toString()));
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }

    /** A small client of the HTTP API for the command line. */
    public record ApiClient(URI base, String key, HttpClient http) {
        public JsonNode job(String jobId) throws IOException, InterruptedException {
            return send(HttpRequest.newBuilder(base.resolve("/v1/jobs/" + jobId)).GET());
        }

        public JsonNode submit(String body) throws IOException, InterruptedException {
            return send(HttpRequest.newBuilder(base.resolve("/v1/jobs"))
                    .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
        }

        private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
            HttpResponse<String> response = http.send(request.header("authorization", "Bearer " + key)
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isEmpty() ? Json.object() : Json.parse(response.body());
            if (response.statusCode() / 100 != 2) {
                throw new IOException("the API answered " + response.statusCode() + ": "
                        + body.path("detail").asText(response.body()));
            }
            return body;
        }
    }
}
