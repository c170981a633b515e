package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.local.cli.FollowCommand;
import io.jobway.local.cli.JobWatcher;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code jobway submit --wait} and {@code jobway watch}: live progress, and the exit code says how it ended. */
class CliE2ETest {
    private final LocalJobway jobway = LocalJobway.shared();

    private int cli(String... args) throws Exception {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--api", jobway.baseUrl(), "--ws", jobway.webSocketUrl().toString(),
                "--key", LocalJobway.KEY_A));
        ArrayDeque<String> deque = new ArrayDeque<>(all);
        String command = deque.pop();
        return FollowCommand.run(command, deque);
    }

    @Test
    void submit_wait_exits_0_when_the_job_succeeds_and_1_when_it_dies() throws Exception {
        assertThat(cli("submit", "--type", "sleep", "--payload", "{\"ms\":1200}", "--wait")).isZero();
        assertThat(cli("submit", "--type", "fail", "--payload", "{\"times\":-1}", "--max-attempts", "1", "--wait"))
                .isEqualTo(1);
    }

    @Test
    void watch_draws_each_change_with_a_progress_bar_until_the_job_finishes() throws Exception {
        String id = jobway.submit("{\"type\":\"sleep\",\"payload\":{\"ms\":2500},\"delaySeconds\":1}");
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        JobWatcher watcher = new JobWatcher(new JobWatcher.ApiClient(URI.create(jobway.baseUrl()),
                LocalJobway.KEY_A, HttpClient.newHttpClient()), jobway.webSocketUrl(),
                new PrintStream(screen, true, StandardCharsets.UTF_8), false);

        JsonNode finished = watcher.watch(id, Duration.ofSeconds(30));

        List<String> lines = screen.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(finished.get("status").asText()).isEqualTo("succeeded");
        assertThat(lines.get(0)).startsWith("queued");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("running").contains("[#").contains("%"));
        assertThat(lines.get(lines.size() - 1)).startsWith("succeeded").contains("100%");
        List<Integer> percents = lines.stream().filter(l -> l.contains("%"))
                .map(l -> Integer.parseInt(l.replaceAll(".*\\]\\s+(\\d+)%.*", "$1"))).toList();
        assertThat(percents).as("drawn in order, never going back").isSorted();
    }
}
