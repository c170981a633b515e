package io.jobway.worker.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobway.handler.JobContext;
import io.jobway.handler.JobHandler;
import io.jobway.handler.PermanentJobFailure;
import io.jobway.handler.RetryLaterException;
import io.jobway.json.Json;
import io.jobway.notify.CallbackUrlGuard;
import io.jobway.notify.WebhookSecretStore;
import io.jobway.notify.WebhookSigner;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code http}: calls the app's own endpoint, which is how apps not written in Java run jobs on Jobway.
 * Payload {@code {url, method, headers, body}}. The call is signed like a webhook (Standard Webhooks, the
 * tenant's secrets) so the app can tell it came from Jobway; redirects are not followed; the job's timeout
 * bounds the call. A 2xx succeeds with the response as the result; 429, 5xx and network errors are retried
 * (after Retry-After when given); any other answer fails the job for good.
 */
public final class HttpJobHandler implements JobHandler {
    static final int MAX_RESULT_BODY = 32 * 1024;
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

    private final WebhookSecretStore secrets;
    private final CallbackUrlGuard guard;
    private final HttpClient http;
    private final Clock clock;

    public HttpJobHandler(WebhookSecretStore secrets, CallbackUrlGuard guard, HttpClient http, Clock clock) {
        this.secrets = secrets;
        this.guard = guard;
        this.http = http;
        this.clock = clock;
    }

    public static HttpClient defaultClient() {
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @Override
    public String type() {
        return "http";
    }

    @Override
    public JsonNode handle(JobContext context) throws IOException, InterruptedException {
        Call call = Call.of(context.payload());
        URI url;
        try {
            url = guard.check(call.url());
        } catch (CallbackUrlGuard.UnsafeUrl e) {
            throw new PermanentJobFailure("http job url " + e.getMessage());
        }
        List<String> keys = secrets.valid(context.tenantId(), clock.instant()).stream()
                .map(WebhookSecretStore.Secret::value).toList();
        if (keys.isEmpty()) {
            throw new PermanentJobFailure("http jobs are signed with the tenant's webhook secret and there is none;"
                    + " create one with POST /v1/webhook-secrets");
        }
        Instant now = clock.instant();
        Duration left = Duration.between(now, context.deadline());
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(left.isNegative() || left.isZero() ? Duration.ofSeconds(1) : left)
                .header("user-agent", "Jobway-Http-Job/1")
                .method(call.method(), call.body().isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(call.body()));
        call.headers().forEach(request::header);
        String id = "job_" + context.jobId() + "_" + context.attempt();
        WebhookSigner.headers(id, now, call.body(), keys).forEach(request::header);
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        int status = response.statusCode();
        try (InputStream body = response.body()) { // closed unread past the cap: the rest is never received
            if (status / 100 == 2) {
                return result(status, response.headers().firstValue("content-type").orElse(""), body);
            }
        }
        String what = call.method() + " " + url + " answered " + status;
        if (status == 429 || status / 100 == 5) {
            Duration after = retryAfter(response.headers().firstValue("retry-after").orElse(null), now);
            // A 429 is throttling: deferred, no attempt spent. A 5xx is a failure; its Retry-After only sets the wait.
            if (after != null && status == 429) {
                throw new RetryLaterException(what + "; Retry-After " + after.toSeconds() + " s", after);
            }
            if (after != null) {
                throw RetryLaterException.failedAttempt(what + "; Retry-After " + after.toSeconds() + " s", after);
            }
            throw new IOException(what);
        }
        throw new PermanentJobFailure(what + "; not retried (only 429, 5xx and network errors are)");
    }

    /**
     * The job's result: status and body, the body cut at {@link #MAX_RESULT_BODY}. Only that much is read, so an
     * endpoint that answers with gigabytes costs 32 KiB of memory, not the worker's heap (and its batch).
     */
    static ObjectNode result(int status, String contentType, InputStream body) throws IOException {
        ObjectNode result = Json.object();
        result.put("status", status);
        byte[] bytes = body.readNBytes(MAX_RESULT_BODY + 1);
        boolean truncated = bytes.length > MAX_RESULT_BODY;
        String text = new String(bytes, 0, Math.min(bytes.length, MAX_RESULT_BODY), StandardCharsets.UTF_8);
        JsonNode json = null;
        if (!truncated && contentType.contains("json")) {
            try {
                json = Json.parse(text);
            } catch (RuntimeException notJson) {
                // kept as text below
            }
        }
        if (json != null) {
            result.set("body", json);
        } else {
            result.put("body", text);
        }
        result.put("truncated", truncated);
        return result;
    }

    /** Retry-After as seconds or as an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
            } catch (RuntimeException notADate) {
                return null;
            }
        }
    }

    /** The call a payload describes; a payload that describes none fails the job for good. */
    record Call(String url, String method, java.util.Map<String, String> headers, String body) {
        static Call of(JsonNode payload) {
            if (payload == null || !payload.isObject() || !payload.path("url").isTextual()) {
                throw new PermanentJobFailure("http job payload needs {\"url\": \"https://...\"} and may have method,"
                        + " headers and body");
            }
            String method = payload.path("method").asText("POST").toUpperCase(Locale.ROOT);
            if (!METHODS.contains(method)) {
                throw new PermanentJobFailure("http job method must be one of " + new java.util.TreeSet<>(METHODS));
            }
            java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
            JsonNode given = payload.path("headers");
            if (!given.isMissingNode() && !given.isObject()) {
                throw new PermanentJobFailure("http job headers must be an object of strings");
            }
            given.properties().forEach(e -> headers.put(e.getKey(), e.getValue().asText()));
            JsonNode body = payload.get("body");
            String text = body == null || body.isNull() ? "" : body.isTextual() ? body.asText() : Json.write(body);
            if (body != null && !body.isTextual() && !body.isNull()) {
                headers.putIfAbsent("content-type", "application/json");
            }
            return new Call(payload.get("url").asText(), method, headers, text);
        }
    }
}
