package io.jobway.worker.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobway.handler.JobContext;
import io.jobway.handler.JobHandler;
import io.jobway.handler.PermanentJobFailure;
import io.jobway.handler.RetryLaterException;
import io.jobway.json.Json;
import io.jobway.notify.CallbackUrlGuard;
import io.jobway.notify.OutboundHttp;
import io.jobway.notify.WebhookSecretStore;
import io.jobway.notify.WebhookSigner;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    /** The message's framing and the signature are Jobway's: a payload that sets them would break or forge them. */
    private static final Set<String> JOBWAY_HEADERS = Set.of("host", "content-length", "transfer-encoding",
            "connection", "keep-alive", "upgrade", "te", "trailer", "expect", "webhook-id", "webhook-timestamp",
            "webhook-signature");

    private final WebhookSecretStore secrets;
    private final CallbackUrlGuard guard;
    private final OutboundHttp http;
    private final Clock clock;

    public HttpJobHandler(WebhookSecretStore secrets, CallbackUrlGuard guard, Clock clock) {
        this.secrets = secrets;
        this.guard = guard;
        this.http = new OutboundHttp(guard);
        this.clock = clock;
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
            url = guard.parse(call.url()); // its addresses are checked as the call connects
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
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("user-agent", "Jobway-Http-Job/1");
        headers.putAll(call.headers());
        String id = "job_" + context.jobId() + "_" + context.attempt();
        headers.putAll(WebhookSigner.headers(id, now, call.body(), keys));
        OutboundHttp.Response response;
        try {
            // the job's timeout bounds the call; past the cap the body is never read
            response = http.send(new OutboundHttp.Request(call.method(), url.toString(), headers, call.body()),
                    Duration.between(now, context.deadline()), MAX_RESULT_BODY);
        } catch (CallbackUrlGuard.UnsafeUrl e) {
            throw new PermanentJobFailure("http job url " + e.getMessage());
        }
        int status = response.status();
        if (status / 100 == 2) {
            return result(response);
        }
        String what = call.method() + " " + url + " answered " + status;
        if (status == 429 || status / 100 == 5) {
            Duration after = retryAfter(response.header("retry-after"), now);
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

    /** The job's result: status and body (JSON when it says so and is whole), and whether the body was cut. */
    static ObjectNode result(OutboundHttp.Response response) {
        ObjectNode result = Json.object();
        result.put("status", response.status());
        String text = response.bodyText();
        String contentType = response.header("content-type");
        JsonNode json = null;
        if (!response.truncated() && contentType != null && contentType.contains("json")) {
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
        result.put("truncated", response.truncated());
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
    record Call(String url, String method, Map<String, String> headers, String body) {
        static Call of(JsonNode payload) {
            if (payload == null || !payload.isObject() || !payload.path("url").isTextual()) {
                throw new PermanentJobFailure("http job payload needs {\"url\": \"https://...\"} and may have method,"
                        + " headers and body");
            }
            String method = payload.path("method").asText("POST").toUpperCase(Locale.ROOT);
            if (!METHODS.contains(method)) {
                throw new PermanentJobFailure("http job method must be one of " + new java.util.TreeSet<>(METHODS));
            }
            Map<String, String> headers = new LinkedHashMap<>();
            JsonNode given = payload.path("headers");
            if (!given.isMissingNode() && !given.isObject()) {
                throw new PermanentJobFailure("http job headers must be an object of strings");
            }
            for (var header : given.properties()) {
                String name = header.getKey().toLowerCase(Locale.ROOT);
                if (JOBWAY_HEADERS.contains(name) || name.startsWith("proxy-")) {
                    throw new PermanentJobFailure("http job header " + header.getKey() + " is set by Jobway and may"
                            + " not be given; the headers it sets are " + new java.util.TreeSet<>(JOBWAY_HEADERS));
                }
                headers.put(name, header.getValue().asText());
            }
            JsonNode body = payload.get("body");
            String text = body == null || body.isNull() ? "" : body.isTextual() ? body.asText() : Json.write(body);
            if (body != null && !body.isTextual() && !body.isNull()) {
                headers.putIfAbsent("content-type", "application/json");
            }
            return new Call(payload.get("url").asText(), method, headers, text);
        }
    }
}
