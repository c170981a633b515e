package io.jobway.notify;

import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;

/**
 * The HTTP client for calls to tenants' URLs (webhooks, {@code http} jobs), on Apache HttpClient 5 because it
 * takes a DNS resolver of its own: every name it connects to is resolved by {@link CallbackUrlGuard#resolve},
 * and the connection goes to the addresses that were checked, so an answer that changes after the check is never
 * used. The JDK's HttpClient resolves by itself and cannot be pinned that way. No redirects, no automatic
 * retries (a POST must not repeat behind the caller's back), no cookies, no proxies; each call is bounded in time
 * as a whole (a receiver that trickles a byte a second is cut at the deadline) and in the response bytes read.
 */
public final class OutboundHttp implements AutoCloseable {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Ends calls at their deadline; one daemon thread for every client in the process. */
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "jobway-outbound-deadlines");
        thread.setDaemon(true);
        return thread;
    });

    /** A call: method, URL, headers and body (empty for none). */
    public record Request(String method, String url, Map<String, String> headers, String body) {
    }

    /**
     * An answer: the status, the headers by lower-case name (the first of each), and at most the cap's bytes of
     * the body; {@code truncated} when there were more, which were never read.
     */
    public record Response(int status, Map<String, String> headers, byte[] body, boolean truncated) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final CallbackUrlGuard guard;
    private final CloseableHttpClient client;

    public OutboundHttp(CallbackUrlGuard guard) {
        this.guard = guard;
        DnsResolver checkedAddresses = new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                return guard.resolve(host);
            }

            @Override
            public String resolveCanonicalHostname(String host) {
                return host; // only used for Kerberos-style auth, which these calls never do
            }
        };
        var connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(checkedAddresses)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(CONNECT_TIMEOUT))
                        .setTimeToLive(1, TimeUnit.MINUTES).build())
                .setMaxConnTotal(64).setMaxConnPerRoute(16)
                .build();
        this.client = HttpClients.custom().setConnectionManager(connections)
                .disableRedirectHandling().disableAutomaticRetries().disableCookieManagement()
                .disableAuthCaching().disableContentCompression()
                .build();
    }

    /**
     * Sends the request; throws {@link CallbackUrlGuard.UnsafeUrl} when the URL, or an address its host resolves
     * to now, may not be called, and IOException when the call fails or outlasts {@code timeout}.
     */
    public Response send(Request request, Duration timeout, int maxBodyBytes) throws IOException {
        URI url = guard.parse(request.url());
        HttpUriRequestBase call = new HttpUriRequestBase(request.method(), url);
        request.headers().forEach(call::addHeader);
        if (!request.body().isEmpty() || !"GET".equals(request.method()) && !"DELETE".equals(request.method())) {
            call.setEntity(new ByteArrayEntity(request.body().getBytes(StandardCharsets.UTF_8), null));
        }
        Timeout total = Timeout.of(timeout.isNegative() || timeout.isZero() ? Duration.ofSeconds(1) : timeout);
        call.setConfig(RequestConfig.custom().setResponseTimeout(total).setConnectionRequestTimeout(total)
                .setProtocolUpgradeEnabled(false).setExpectContinueEnabled(false).build());
        ScheduledFuture<?> deadline = DEADLINES.schedule(call::cancel, total.toMilliseconds(), TimeUnit.MILLISECONDS);
        CloseableHttpResponse response = null;
        try {
            response = client.execute(call);
            Map<String, String> headers = new TreeMap<>();
            for (Header header : response.getHeaders()) {
                headers.putIfAbsent(header.getName().toLowerCase(Locale.ROOT), header.getValue());
            }
            HttpEntity entity = response.getEntity();
            byte[] body = entity == null ? new byte[0] : entity.getContent().readNBytes(maxBodyBytes + 1);
            boolean truncated = body.length > maxBodyBytes;
            if (truncated) {
                // dropped: closing the stream would read the rest of the body to keep the connection
                deadline.cancel(false);
                call.cancel();
                body = Arrays.copyOf(body, maxBodyBytes);
            } else {
                EntityUtils.consume(entity); // the connection goes back to the pool
            }
            return new Response(response.getCode(), headers, body, truncated);
        } catch (CallbackUrlGuard.RefusedAddress e) {
            throw new CallbackUrlGuard.UnsafeUrl(e.getMessage());
        } catch (IOException e) {
            if (call.isCancelled()) {
                throw new SocketTimeoutException("no complete answer within " + timeout.toMillis() + " ms");
            }
            throw e;
        } finally {
            deadline.cancel(false);
            closeQuietly(response);
        }
    }

    private static void closeQuietly(CloseableHttpResponse response) {
        if (response == null) {
            return;
        }
        try {
            response.close();
        } catch (IOException | RuntimeException e) {
            // a dropped connection may fail to close; it is gone either way
        }
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
