package io.jobway.local.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What can be checked here of localstack/ for Docker users (there is no Docker engine on this machine): the compose
 * file parses and pins the image of the same LocalStack release the host runs, the auth token comes only from the
 * environment, and the init scripts pass shellcheck (pinned in requirements-test.txt).
 */
class LocalStackFilesTest {
    private static final Path DIR = Path.of("..", "localstack").toAbsolutePath().normalize();

    private static JsonNode compose() throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(DIR.resolve("docker-compose.yml").toFile());
    }

    @Test
    void the_compose_file_pins_the_localstack_release_the_host_runs() throws IOException {
        String image = compose().at("/services/localstack/image").asText();
        Matcher host = Pattern.compile("(?m)^localstack-core\\[runtime]==(\\d+)\\.(\\d+)\\.(\\d+)$")
                .matcher(Files.readString(DIR.resolve("host/requirements.txt")));
        assertThat(host.find()).as("localstack-core pinned in host/requirements.txt").isTrue();

        // Docker tags are zero-padded (2026.03.0) where PyPI normalizes the version (2026.3.0)
        assertThat(image).isEqualTo("localstack/localstack:%s.%02d.%s", host.group(1),
                Integer.parseInt(host.group(2)), host.group(3));
    }

    @Test
    void the_auth_token_comes_from_the_environment_and_the_port_from_loopback_only() throws IOException {
        JsonNode service = compose().at("/services/localstack");

        assertThat(service.at("/environment/LOCALSTACK_AUTH_TOKEN").asText()).startsWith("${LOCALSTACK_AUTH_TOKEN");
        assertThat(service.get("ports")).allSatisfy(port -> assertThat(port.asText()).startsWith("127.0.0.1:"));
        assertThat(service.get("volumes")).extracting(JsonNode::asText)
                .contains("./init/ready.d:/etc/localstack/init/ready.d:ro", "..:/opt/jobway:ro");
    }

    @Test
    void the_init_scripts_pass_shellcheck() throws IOException, InterruptedException {
        Path shellcheck = Path.of("..", ".venv", "bin", "shellcheck").toAbsolutePath().normalize();
        if (!Files.isExecutable(shellcheck)) {
            throw new AssertionError(shellcheck + " is missing: run the tests with ./jobway test, which installs it");
        }
        List<String> command = new ArrayList<>(List.of(shellcheck.toString(), "--severity=style"));
        try (Stream<Path> files = Files.walk(DIR.resolve("init"))) {
            files.filter(f -> f.toString().endsWith(".sh")).map(Path::toString).forEach(command::add);
        }
        assertThat(command).hasSizeGreaterThan(2);

        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(output).isZero();
        try (Stream<Path> files = Files.walk(DIR.resolve("init"))) {
            assertThat(files.filter(f -> f.toString().endsWith(".sh"))).allSatisfy(f ->
                    assertThat(Files.isExecutable(f)).as("%s is executable (LocalStack runs it)", f).isTrue());
        }
    }
}
