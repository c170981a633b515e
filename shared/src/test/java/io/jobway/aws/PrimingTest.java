package io.jobway.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import io.jobway.fixtures.PrimingProbe;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkException;

/** SnapStart priming runs requests as far as the wire and no further, and leaves no credentials behind. */
class PrimingTest {
    @Test
    void beforeCheckpoint_marshals_and_signs_the_request_fast_and_connects_to_nothing() {
        try (PrimingProbe probe = new PrimingProbe()) {
            Clients clients = probe.clients(probe.config(Map.of()));
            Priming priming = Priming.register("TestFunction", clients,
                    primed -> primed.dynamo().getItem(b -> b.tableName("jobs").key(Map.of())));

            long started = System.nanoTime();
            priming.beforeCheckpoint(null);
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(probe.operations()).containsExactly("GetItem");
            assertThat(probe.requests().get(0).authorization())
                    .as("signed, with the priming keys rather than the function's")
                    .startsWith("AWS4-HMAC-SHA256 Credential=AKIDPRIMING/");
            assertThat(probe.connections()).isZero();
            // first use in a fresh JVM loads the SDK (1.5 s here); a network attempt would wait out timeouts and retries
            assertThat(took).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void the_priming_clients_fail_with_not_sent_and_do_not_retry() {
        try (PrimingProbe probe = new PrimingProbe()) {
            Clients primed = probe.clients(probe.config(Map.of())).forPriming();

            String queueUrl = probe.endpointUrl() + "/000000000000/jobs";
            assertThatThrownBy(() -> primed.sqs().sendMessage(b -> b.queueUrl(queueUrl).messageBody("{}")))
                    .isInstanceOf(SdkException.class)
                    .hasRootCauseInstanceOf(Priming.NotSent.class)
                    .rootCause().hasMessageContaining("was prepared and not sent");
            assertThat(probe.operations()).as("one attempt").containsExactly("SendMessage");
            assertThat(probe.connections()).isZero();
        }
    }

    @Test
    void work_that_fails_otherwise_is_logged_and_does_not_stop_the_snapshot() {
        try (PrimingProbe probe = new PrimingProbe()) {
            Priming priming = Priming.register("TestFunction", probe.clients(probe.config(Map.of())), primed -> {
                throw new IllegalStateException("sample event no longer parses");
            });

            priming.beforeCheckpoint(null);
            priming.afterRestore(null);
        }
    }

    /**
     * With SnapStart, Lambda sets no key variables during init; the function gets container credentials. Priming
     * must not fetch them (they would sit in the snapshot); the first real call does.
     */
    @Test
    void priming_and_restore_fetch_no_credentials_and_the_first_real_call_does() throws IOException {
        assumeTrue(System.getenv("AWS_ACCESS_KEY_ID") == null && System.getenv("AWS_PROFILE") == null
                        && !Files.exists(Path.of(System.getProperty("user.home"), ".aws")),
                "the default credential chain would find other credentials before the container's");
        AtomicInteger credentialRequests = new AtomicInteger();
        HttpServer credentials = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        credentials.createContext("/credentials", exchange -> {
            credentialRequests.incrementAndGet();
            byte[] body = ("{\"AccessKeyId\":\"ASIACONTAINER\",\"SecretAccessKey\":\"secret\",\"Token\":\"token\","
                    + "\"Expiration\":\"2099-01-01T00:00:00Z\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        credentials.start();
        Map<String, String> before = Map.of(
                "aws.containerCredentialsFullUri", System.getProperty("aws.containerCredentialsFullUri", ""),
                "aws.containerAuthorizationToken", System.getProperty("aws.containerAuthorizationToken", ""));
        System.setProperty("aws.containerCredentialsFullUri",
                "http://127.0.0.1:" + credentials.getAddress().getPort() + "/credentials");
        System.setProperty("aws.containerAuthorizationToken", "container-token");
        try (PrimingProbe probe = new PrimingProbe()) {
            Map<String, String> env = new HashMap<>();
            env.put(Config.AWS_REGION, "us-east-1");
            env.put(Config.AWS_ENDPOINT_URL, probe.endpointUrl());
            Clients clients = probe.clients(Config.of(env)); // no key variables, as under SnapStart
            var dynamo = clients.dynamo();
            Priming priming = Priming.register("TestFunction", clients,
                    primed -> primed.dynamo().getItem(b -> b.tableName("jobs").key(Map.of())));

            priming.beforeCheckpoint(null);
            priming.afterRestore(null);

            assertThat(credentialRequests).as("credentials fetched by priming and restore").hasValue(0);
            assertThat(probe.connections()).isZero();

            assertThatThrownBy(() -> dynamo.getItem(b -> b.tableName("jobs").key(Map.of())))
                    .isInstanceOf(SdkException.class); // the endpoint hangs up: only the attempt matters here
            assertThat(credentialRequests).as("credentials fetched by the first real call").hasPositiveValue();
            assertThat(probe.requests()).last().extracting(PrimingProbe.Request::authorization).asString()
                    .startsWith("AWS4-HMAC-SHA256 Credential=ASIACONTAINER/");
            assertThat(probe.connections()).as("the probe does see real connections").isPositive();
        } finally {
            credentials.stop(0);
            before.forEach((name, value) -> {
                if (value.isEmpty()) {
                    System.clearProperty(name);
                } else {
                    System.setProperty(name, value);
                }
            });
        }
    }
}
