package io.jobway.local.sources;

import io.jobway.local.lambda.LambdaEvents;
import io.jobway.local.lambda.LocalFunction;
import io.jobway.obs.Log;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An EventBridge schedule ({@code rate(n unit)}) invoking its function, one run at a time. */
public final class ScheduleEventSource {
    private static final Pattern RATE = Pattern.compile("rate\\((\\d+) (minute|minutes|hour|hours|day|days)\\)");

    private final Duration every;
    private final LocalFunction function;
    private final String ruleName;
    private ScheduledExecutorService timer;
    private final java.util.concurrent.atomic.AtomicInteger holds = new java.util.concurrent.atomic.AtomicInteger();
    private final Object firing = new Object();

    public ScheduleEventSource(String expression, String ruleName, LocalFunction function) {
        this.every = parse(expression);
        this.ruleName = ruleName;
        this.function = function;
    }

    static Duration parse(String expression) {
        Matcher m = RATE.matcher(expression.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("the local runtime runs rate(...) schedules only, not '"
                    + expression + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "minute", "minutes" -> Duration.ofMinutes(n);
            case "hour", "hours" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    public Duration every() {
        return every;
    }

    public void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name(ruleName).unstarted(r));
        timer.scheduleWithFixedDelay(() -> {
            if (holds.get() == 0) {
                fire();
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Keeps the timer from firing until the returned hold is closed; a run in progress is waited for first.
     * {@link #fire} still runs when called. For tests that need the sweeper not to act on its own meanwhile.
     */
    public Hold hold() {
        holds.incrementAndGet();
        synchronized (firing) {
            // entered once the run in progress, if any, has ended
        }
        return holds::decrementAndGet;
    }

    /** A hold on a timer; closing it lets the timer fire again. */
    public interface Hold extends AutoCloseable {
        @Override
        void close();
    }

    /** Runs the function now (also what the timer does); one run at a time. */
    public void fire() {
        synchronized (firing) {
            invoke();
        }
    }

    private void invoke() {
        try {
            function.invokeForJson(LambdaEvents.scheduled("arn:aws:events:" + LambdaEvents.REGION + ":"
                    + LambdaEvents.ACCOUNT + ":rule/" + ruleName));
        } catch (RuntimeException e) {
            Log.error("local.schedule-failed", "function", function.name(), "error", e.toString());
        }
    }

    public void stop(Duration grace) throws InterruptedException {
        if (timer != null) {
            timer.shutdown();
            timer.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
