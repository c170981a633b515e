package io.jobway.local.contract;

import io.jobway.aws.Clients;
import io.jobway.aws.Config;
import io.jobway.local.emulator.EmbeddedSqs;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * The clients a function builds ({@link Clients}, with a 30 s Lambda timeout as the notifier's), pointed at the
 * embedded emulators: the contract suites run through the very clients the functions use.
 */
final class FunctionClients {
    private FunctionClients() {
    }

    static Clients at(URI endpoint) {
        return Clients.create(Config.of(Map.of(
                Config.AWS_REGION, EmbeddedSqs.REGION,
                Config.AWS_ENDPOINT_URL, endpoint.toString(),
                // the embedded emulators' clients sign with these (EmulatorClients); DynamoDB Local keys its data by them
                "AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local")), Duration.ofSeconds(30));
    }
}
