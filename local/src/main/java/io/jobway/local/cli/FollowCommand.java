package io.jobway.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobway.json.Json;
import io.jobway.local.RuntimeFile;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code jobway submit --type T [--payload JSON] [--wait]} and {@code jobway watch JOB_ID}: the job is
 * followed live over the WebSocket API; the exit code is 0 only when it succeeded. Without --api/--ws they
 * talk to the running local runtime.
 */
public final class FollowCommand {
    private static final Set<String> VALUED = Set.of("--type", "--payload", "--max-attempts", "--timeout", "--delay",
            "--api", "--ws", "--key", "--data-dir");
    private static final Map<String, String> NUMBERS = Map.of("--max-attempts", "maxAttempts",
            "--timeout", "timeoutSeconds", "--delay", "delaySeconds");

    private FollowCommand() {
    }

    public static int run(String command, Deque<String> args) throws IOException, InterruptedException {
        Map<String, String> options = new HashMap<>();
        String jobId = null;
        boolean wait = command.equals("watch");
        while (!args.isEmpty()) {
            String arg = args.pop();
            if (arg.equals("--wait")) {
                wait = true;
            } else if (VALUED.contains(arg)) {
                if (args.isEmpty()) {
                    throw new IllegalArgumentException(arg + " needs a value");
                }
                options.put(arg, args.pop());
            } else if (arg.startsWith("--") || jobId != null || command.equals("submit")) {
                throw new IllegalArgumentException("unknown option " + arg);
            } else {
                jobId = arg;
            }
        }
        Map<String, String> running = RuntimeFile.readIfRunning(Path.of(options.getOrDefault("--data-dir", ".jobway")));
        String api = options.getOrDefault("--api", running == null ? "http://127.0.0.1:3000" : running.get("api"));
        String ws = options.getOrDefault("--ws", running == null ? null : running.get("webSocket"));
        String key = options.getOrDefault("--key", Optional.ofNullable(System.getenv("JOBWAY_API_KEY"))
                .orElse(System.getenv("JOBWAY_LOCAL_API_KEY")));
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("no API key: pass --key or set JOBWAY_API_KEY");
        }
        JobWatcher.ApiClient client = new JobWatcher.ApiClient(URI.create(api), key, HttpClient.newHttpClient());
        if (command.equals("submit")) {
            JsonNode job = client.submit(Json.write(submitBody(options)));
            jobId = job.get("jobId").asText();
            System.err.println("submitted job " + jobId);
            if (!wait) {
                System.out.println(job.toPrettyString());
                return 0;
            }
        }
        if (jobId == null) {
            throw new IllegalArgumentException("watch needs the JOB_ID");
        }
        if (ws == null || ws.isBlank()) {
            throw new IllegalArgumentException("no WebSocket URL: pass --ws (the stack's WebSocketUrl output)");
        }
        JsonNode finished = new JobWatcher(client, URI.create(ws), System.err, System.console() != null)
                .watch(jobId, Duration.ofMinutes(30));
        boolean succeeded = finished.path("status").asText().equals("succeeded");
        System.out.println((succeeded ? finished.path("result") : finished.path("error")).toPrettyString());
        return succeeded ? 0 : 1;
    }

    private static ObjectNode submitBody(Map<String, String> options) {
        ObjectNode body = Json.object();
        body.put("type", Optional.ofNullable(options.get("--type"))
                .orElseThrow(() -> new IllegalArgumentException("submit needs --type")));
        try {
            body.set("payload", Json.parse(options.getOrDefault("--payload", "{}")));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--payload must be JSON, e.g. '{\"ms\":2000}'");
        }
        NUMBERS.forEach((option, field) -> {
            if (options.containsKey(option)) {
                try {
                    body.put(field, Integer.parseInt(options.get(option)));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(option + " must be a whole number");
                }
            }
        });
        return body;
    }
}
