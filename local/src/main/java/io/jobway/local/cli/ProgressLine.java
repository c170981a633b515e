package io.jobway.local.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** One line for a job's state: status, a progress bar when there is progress, and its message. */
public final class ProgressLine {
    static final int WIDTH = 24;

    private ProgressLine() {
    }

    public static String of(JsonNode job) {
        String status = job.path("status").asText("?");
        StringBuilder line = new StringBuilder(String.format("%-9s", status));
        JsonNode progress = job.path("progress");
        if (progress.isObject()) {
            int percent = Math.max(0, Math.min(100, progress.path("percent").asInt()));
            int filled = percent * WIDTH / 100;
            line.append(" [").append("#".repeat(filled)).append("-".repeat(WIDTH - filled)).append("] ")
                    .append(String.format("%3d%%", percent));
            String message = progress.path("message").asText("");
            if (!message.isEmpty()) {
                line.append("  ").append(message);
            }
        }
        int attempt = job.path("attempt").asInt(0);
        if (attempt > 1) {
            line.append("  (attempt ").append(attempt).append(')');
        }
        return line.toString();
    }
}
