package io.jobway.local.e2e;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** moto's server ({@code moto[server]} pinned in requirements-test.txt, installed in .venv by ./jobway test). */
final class MotoServer extends ExternalEmulator {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private MotoServer(Process process, URI endpoint, Instant started) {
        super("moto", process, endpoint, started);
    }

    static MotoServer start() {
        Path server = PROJECT.resolve(".venv/bin/moto_server");
        if (!Files.isExecutable(server)) {
            throw new IllegalStateException(server + " is missing: run the tests with ./jobway test, which installs"
                    + " requirements-test.txt into .venv");
        }
        int port = freePort();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        Instant started = Instant.now();
        try {
            Process process = new ProcessBuilder(List.of(server.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port)))
                    .redirectErrorStream(true)
                    .redirectOutput(new File("target/moto-" + port + ".log"))
                    .start();
            Instant deadline = started.plus(START_TIMEOUT);
            while (!answers(endpoint.resolve("/moto-api/"))) {
                if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("moto_server did not start on " + endpoint
                            + " (see local/target/moto-" + port + ".log)");
                }
                Thread.sleep(50);
            }
            return new MotoServer(process, endpoint, started);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot run " + server, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting moto", e);
        }
    }
}
