package io.jobway.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The outbound client against a real receiver on loopback, reached through names only a fake DNS knows. */
class OutboundHttpTest {
    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private int port;

    @BeforeEach
    void startReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " host="
                    + exchange.getRequestHeaders().getFirst("Host"));
            answer(exchange, 200, "{\"ok\":true}");
        });
        server.createContext("/redirect", exchange -> {
            requests.add("GET /redirect");
            exchange.getResponseHeaders().add("Location", "/elsewhere");
            answer(exchange, 302, "");
        });
        port = server.getAddress().getPort();
        server.start();
    }

    @AfterEach
    void stopReceiver() {
        server.stop(0);
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static OutboundHttp.Request post(String url) {
        return new OutboundHttp.Request("POST", url, Map.of("content-type", "application/json"), "{}");
    }

    /** The system cannot resolve receiver.test: the call reached the receiver at the address the guard gave. */
    @Test
    void send_connectsToTheAddressTheGuardResolved() throws IOException {
        var guard = new CallbackUrlGuard(true, host -> List.of(InetAddress.getLoopbackAddress()));
        try (var http = new OutboundHttp(guard)) {
            var response = http.send(post("http://receiver.test:" + port + "/hook"), Duration.ofSeconds(5), 1024);

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("{\"ok\":true}");
            assertThat(response.header("Content-Type")).isEqualTo("application/json");
            assertThat(requests).containsExactly("POST /hook host=receiver.test:" + port);
        }
    }

    /**
     * DNS rebinding: the name answers a public address when the URL is accepted, then loopback when the call is
     * made. The call checks the answer it connects to, so it is refused, and the receiver hears nothing.
     */
    @Test
    void send_toANameWhoseAnswerChangedAfterTheCheck_isRefusedAndNothingIsSent() throws UnknownHostException {
        AtomicInteger lookups = new AtomicInteger();
        InetAddress publicAddress = InetAddress.getByName("93.184.216.34");
        var guard = new CallbackUrlGuard(false, host -> List.of(lookups.getAndIncrement() == 0 ? publicAddress
                : InetAddress.getLoopbackAddress()));
        String url = "https://rebind.test:" + port + "/hook";

        assertThat(guard.check(url)).hasHost("rebind.test");
        try (var http = new OutboundHttp(guard)) {
            assertThatThrownBy(() -> http.send(post(url), Duration.ofSeconds(5), 1024))
                    .isInstanceOf(CallbackUrlGuard.UnsafeUrl.class).hasMessageContaining("127.0.0.1");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThat(lookups).hasValue(2);
        assertThat(requests).isEmpty();
    }

    @Test
    void send_toALoopbackLiteralInTheCloud_isRefusedAndNothingIsSent() throws IOException {
        try (var http = new OutboundHttp(CallbackUrlGuard.create(false))) {
            assertThatThrownBy(() -> http.send(post("https://127.0.0.1:" + port + "/"), Duration.ofSeconds(5), 1024))
                    .isInstanceOf(CallbackUrlGuard.UnsafeUrl.class);
            assertThatThrownBy(() -> http.send(post("http://93.184.216.34/"), Duration.ofSeconds(5), 1024))
                    .isInstanceOf(CallbackUrlGuard.UnsafeUrl.class).hasMessage("must be an https URL");
        }
        assertThat(requests).isEmpty();
    }

    @Test
    void send_doesNotFollowRedirects() throws IOException {
        try (var http = new OutboundHttp(CallbackUrlGuard.create(true))) {
            var response = http.send(new OutboundHttp.Request("GET", "http://127.0.0.1:" + port + "/redirect",
                    Map.of(), ""), Duration.ofSeconds(5), 1024);

            assertThat(response.status()).isEqualTo(302);
            assertThat(response.header("location")).isEqualTo("/elsewhere");
        }
        assertThat(requests).containsExactly("GET /redirect");
    }

    /** A receiver that would send 2 GB: the cap's bytes are kept, and the connection is dropped, not drained. */
    @Test
    void send_readsNoMoreThanTheCapOfAHugeBody() throws Exception {
        AtomicLong written = new AtomicLong();
        CountDownLatch stopped = new CountDownLatch(1);
        server.createContext("/huge", exchange -> {
            exchange.sendResponseHeaders(200, 0); // chunked, without end
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'a');
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 32 * 1024; i++) {
                    out.write(chunk);
                    written.addAndGet(chunk.length);
                }
            } catch (IOException dropped) {
                // the client went away, as it should
            } finally {
                stopped.countDown();
            }
        });
        try (var http = new OutboundHttp(CallbackUrlGuard.create(true))) {
            var response = http.send(new OutboundHttp.Request("GET", "http://127.0.0.1:" + port + "/huge", Map.of(),
                    ""), Duration.ofSeconds(30), 32 * 1024);

            assertThat(response.truncated()).isTrue();
            assertThat(response.body()).hasSize(32 * 1024);
        }
        assertThat(stopped.await(20, TimeUnit.SECONDS)).as("the receiver saw the connection dropped").isTrue();
        assertThat(written.get()).as("bytes the receiver got out before the drop").isLessThan(64L * 1024 * 1024);
    }

    /** A receiver that trickles a byte at a time never times out a read; the call's own deadline ends it. */
    @Test
    void send_toAReceiverThatTrickles_endsAtTheDeadline() throws IOException {
        server.createContext("/trickle", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 100; i++) {
                    out.write('a');
                    out.flush();
                    Thread.sleep(200);
                }
            } catch (IOException | InterruptedException dropped) {
                // the client went away, as it should
            }
        });
        try (var http = new OutboundHttp(CallbackUrlGuard.create(true))) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> http.send(new OutboundHttp.Request("GET", "http://127.0.0.1:" + port
                    + "/trickle", Map.of(), ""), Duration.ofSeconds(1), 1024 * 1024))
                    .isInstanceOf(SocketTimeoutException.class).hasMessageContaining("within 1000 ms");
            // 100 bytes at 200 ms would take 20 s; the deadline is 1 s
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        }
    }
}
