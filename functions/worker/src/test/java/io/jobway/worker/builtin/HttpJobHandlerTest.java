package io.jobway.worker.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobway.handler.PermanentJobFailure;
import io.jobway.json.Json;
import io.jobway.notify.OutboundHttp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpJobHandlerTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void retryAfter_readsSecondsAndHttpDates() {
        assertThat(HttpJobHandler.retryAfter("120", NOW)).isEqualTo(Duration.ofSeconds(120));
        assertThat(HttpJobHandler.retryAfter("Mon, 23 Nov 2026 10:01:30 GMT", NOW)).isEqualTo(Duration.ofSeconds(90));
        assertThat(HttpJobHandler.retryAfter("soon", NOW)).isNull();
        assertThat(HttpJobHandler.retryAfter(null, NOW)).isNull();
    }

    @Test
    void call_ofAPayloadWithoutAUrlOrWithABadMethod_failsForGoodWithAMessageSayingWhatToSend() {
        assertThatThrownBy(() -> HttpJobHandler.Call.of(Json.parse("{\"method\":\"POST\"}")))
                .isInstanceOf(PermanentJobFailure.class).hasMessageContaining("url");
        assertThatThrownBy(() -> HttpJobHandler.Call.of(Json.parse("{\"url\":\"https://x.example\",\"method\":\"BREW\"}")))
                .isInstanceOf(PermanentJobFailure.class).hasMessageContaining("method must be one of");
    }

    @Test
    void call_ofAJsonBody_sendsItAsJsonByDefault() {
        HttpJobHandler.Call call = HttpJobHandler.Call.of(Json.parse("{\"url\":\"https://x.example\",\"body\":{\"a\":1}}"));

        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.body()).isEqualTo("{\"a\":1}");
        assertThat(call.headers()).containsEntry("content-type", "application/json");
    }

    @Test
    void result_ofATruncatedBody_keepsItAsTextAndSaysSo() {
        var result = HttpJobHandler.result(new OutboundHttp.Response(200, Map.of("content-type", "application/json"),
                "{\"cut\":".getBytes(StandardCharsets.UTF_8), true));

        assertThat(result.get("truncated").asBoolean()).isTrue();
        assertThat(result.get("body").asText()).isEqualTo("{\"cut\":");
    }

    @Test
    void result_ofASmallJsonBody_keepsItAsJson() {
        var result = HttpJobHandler.result(new OutboundHttp.Response(201,
                Map.of("content-type", "application/json; charset=utf-8"),
                "{\"ok\":true}".getBytes(StandardCharsets.UTF_8), false));

        assertThat(result.get("status").asInt()).isEqualTo(201);
        assertThat(result.get("body")).isEqualTo(Json.parse("{\"ok\":true}"));
        assertThat(result.get("truncated").asBoolean()).isFalse();
    }

    @Test
    void call_thatSetsFramingOrSignatureHeaders_failsForGoodNamingTheHeader() {
        assertThatThrownBy(() -> HttpJobHandler.Call.of(Json.parse(
                "{\"url\":\"https://x.example\",\"headers\":{\"Content-Length\":\"5\"}}")))
                .isInstanceOf(PermanentJobFailure.class).hasMessageContaining("Content-Length is set by Jobway");
        assertThatThrownBy(() -> HttpJobHandler.Call.of(Json.parse(
                "{\"url\":\"https://x.example\",\"headers\":{\"webhook-signature\":\"v1,forged\"}}")))
                .isInstanceOf(PermanentJobFailure.class).hasMessageContaining("webhook-signature");
    }
}
