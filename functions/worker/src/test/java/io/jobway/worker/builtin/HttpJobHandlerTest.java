package io.jobway.worker.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobway.handler.PermanentJobFailure;
import io.jobway.json.Json;
import java.time.Duration;
import java.time.Instant;
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
}
