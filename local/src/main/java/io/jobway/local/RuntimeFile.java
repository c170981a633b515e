package io.jobway.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** {@code <data dir>/runtime.json}: how other commands find a running local runtime. */
public final class RuntimeFile {
    private RuntimeFile() {
    }

    public static void write(Path dataDir, LocalRuntime runtime) {
        try {
            Files.createDirectories(dataDir);
            Files.writeString(dataDir.resolve("runtime.json"), io.jobway.json.Json.write(Map.of(
                    "pid", Long.toString(ProcessHandle.current().pid()),
                    "api", runtime.baseUrl(),
                    "dynamodb", runtime.endpoints().dynamo().toString(),
                    "region", runtime.endpoints().region(),
                    "apiKeysTable", runtime.resources().table("ApiKeysTable").name(),
                    "webSocket", runtime.webSocketUrl().map(Object::toString).orElse(""))));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, String> readIfRunning(Path dataDir) {
        Path file = dataDir.resolve("runtime.json");
        try {
            if (!Files.exists(file)) {
                return null;
            }
            Map<String, String> values = io.jobway.json.Json.mapper().readValue(file.toFile(), Map.class);
            boolean alive = ProcessHandle.of(Long.parseLong(values.get("pid"))).map(ProcessHandle::isAlive)
                    .orElse(false);
            return alive ? values : null;
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    public static void delete(Path dataDir) {
        try {
            Files.deleteIfExists(dataDir.resolve("runtime.json"));
        } catch (java.io.IOException ignored) {
            // best effort: a stale file is ignored because its pid is gone
        }
    }
}
