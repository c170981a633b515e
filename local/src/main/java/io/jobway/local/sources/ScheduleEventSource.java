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
        timer.scheduleWithFixedDelay(this::fire, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs the function now (also what the timer does). */
    public void fire() {
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
