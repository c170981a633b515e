package io.jobway.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LocalFunctionTest {
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();
    private final LocalFunction function = LocalFunction.of("Slow", 30, (RequestStreamHandler) (in, out, context) -> {
        mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running.decrementAndGet();
        out.write("{}".getBytes());
    });

    @Test
    void runs_at_most_its_concurrency_at_once_and_refuses_http_callers_once_its_line_is_full() throws Exception {
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < LocalFunction.MAX_CONCURRENCY + LocalFunction.MAX_WAITING; i++) {
            callers.add(Thread.ofVirtual().start(() -> {
                try {
                    function.invokeOrThrottle("{}");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        while (running.get() < LocalFunction.MAX_CONCURRENCY) {
            Thread.sleep(5);
        }
        Thread.sleep(200); // the rest are in line by now

        assertThatThrownBy(() -> function.invokeOrThrottle("{}")).isInstanceOf(LocalFunction.Throttled.class)
                .hasMessageContaining("Slow");

        release.countDown();
        for (Thread caller : callers) {
            caller.join();
        }
        assertThat(mostAtOnce.get()).isEqualTo(LocalFunction.MAX_CONCURRENCY);
        assertThat(function.invokeOrThrottle("{}")).isEqualTo("{}"); // the line is free again
    }

    @Test
    void event_sources_wait_for_a_slot_however_long_the_line() throws Exception {
        release.countDown();
        assertThat(function.invokeForJson("{}")).isEqualTo("{}");
    }

    @Test
    void usage_counts_invocations_and_bills_each_by_the_millisecond_rounded_up() {
        LocalFunction sleeper = LocalFunction.of("Sleeper", 30, (RequestStreamHandler) (in, out, context) -> {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out.write("{}".getBytes());
        });
        LocalFunction instant = LocalFunction.of("Instant", 30, (RequestStreamHandler) (in, out, context) -> { });

        for (int i = 0; i < 3; i++) {
            sleeper.invokeForJson("{}");
            instant.invokeForJson("{}");
        }

        assertThat(sleeper.usage().invocations()).isEqualTo(3);
        assertThat(sleeper.usage().billedMillis()).isBetween(60L, 3_000L);
        assertThat(instant.usage().invocations()).isEqualTo(3);
        assertThat(instant.usage().billedMillis()).as("under a millisecond still bills one").isGreaterThanOrEqualTo(3);
        assertThat(sleeper.memoryMb()).isEqualTo(512);
    }
}
