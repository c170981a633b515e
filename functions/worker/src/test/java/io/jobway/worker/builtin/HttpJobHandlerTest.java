package io.jobway.worker.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobway.handler.PermanentJobFailure;
import io.jobway.json.Json;
import java.io.IOException;
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

    /** An endpoint that answers with 1.5 GB: the result keeps 32 KiB, and no more than that is ever read. */
    @Test
    void result_ofAHugeBody_readsNoMoreThanTheCapAndSaysItWasTruncated() throws IOException {
        var huge = new CountingBody(1_500_000_000L);

        var result = HttpJobHandler.result(200, "application/json", huge);

        assertThat(result.get("truncated").asBoolean()).isTrue();
        assertThat(result.get("body").asText()).hasSize(HttpJobHandler.MAX_RESULT_BODY);
        assertThat(huge.read).isLessThanOrEqualTo(HttpJobHandler.MAX_RESULT_BODY + 1);
    }

    @Test
    void result_ofASmallJsonBody_keepsItAsJson() throws IOException {
        var result = HttpJobHandler.result(201, "application/json; charset=utf-8",
                new java.io.ByteArrayInputStream("{\"ok\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));

        assertThat(result.get("status").asInt()).isEqualTo(201);
        assertThat(result.get("body")).isEqualTo(Json.parse("{\"ok\":true}"));
        assertThat(result.get("truncated").asBoolean()).isFalse();
    }

    /** {@code size} bytes of 'a', made as they are read, counting how many were. */
    private static final class CountingBody extends java.io.InputStream {
        private final long size;
        long read;

        CountingBody(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            if (read >= size) {
                return -1;
            }
            read++;
            return 'a';
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (read >= size) {
                return -1;
            }
            int n = (int) Math.min(length, size - read);
            java.util.Arrays.fill(buffer, offset, offset + n, (byte) 'a');
            read += n;
            return n;
        }
    }
}
