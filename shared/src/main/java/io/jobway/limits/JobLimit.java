package io.jobway.limits;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The limits of one job type for one rate key (or for every key of the type): at most {@code rateLimit} attempts
 * start per window of {@code ratePer}, and at most {@code maxRunning} run at once. Either part may be absent.
 */
public record JobLimit(Integer rateLimit, Duration ratePer, Integer maxRunning) {
    public static final int MAX_RATE_LIMIT = 1_000_000;
    public static final int MAX_RUNNING = 10_000;
    /** Windows run from 1 second to 31 days. */
    public static final Duration MAX_PERIOD = Duration.ofDays(31);
    private static final Pattern PERIOD = Pattern.compile("([1-9][0-9]{0,6})([smhd])");

    public JobLimit {
        if ((rateLimit == null) != (ratePer == null)) {
            throw new IllegalArgumentException("a rate needs both a limit and a period");
        }
        if (rateLimit == null && maxRunning == null) {
            throw new IllegalArgumentException("a limit needs a rate, maxRunning or both");
        }
    }

    public boolean limitsRate() {
        return rateLimit != null;
    }

    public boolean limitsRunning() {
        return maxRunning != null;
    }

    /** {@code 30s}, {@code 10m}, {@code 1h} or {@code 1d}: a whole number and a unit, at most 31 days. */
    public static Duration parsePeriod(String text) {
        Matcher m = PERIOD.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a period such as 30s, 10m, 1h or 1d");
        }
        long n = Long.parseLong(m.group(1));
        Duration period = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (period.compareTo(MAX_PERIOD) > 0) {
            throw new IllegalArgumentException("'" + text + "' is longer than the longest period, 31d");
        }
        return period;
    }

    /** The shortest of the forms {@link #parsePeriod} reads. */
    public static String formatPeriod(Duration period) {
        long s = period.toSeconds();
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s % 3_600 == 0) {
            return s / 3_600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }
}
