package io.jobway.job;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one rule for a job's tags (what {@code GET /v1/jobs?tag=}, a browser token and a WebSocket subscription
 * name): a job has at most {@link #MAX_TAGS} distinct tags, each 1 to {@link #MAX_LENGTH} characters of letters,
 * digits and {@code _ . : @ / -}, such as {@code user:42} or {@code campaign/2027-spring}. No {@code #}, comma or
 * space: a tag goes into subscription keys and the authorizer's comma-separated context as it is.
 */
public final class Tags {
    public static final int MAX_TAGS = 10;
    public static final int MAX_LENGTH = 64;
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_.:@/-]{1," + MAX_LENGTH + "}");
    /** What a wrong tag's error says it must be. */
    public static final String RULE = "a string of 1 to " + MAX_LENGTH
            + " characters of letters, digits and _ . : @ / - (such as user:42)";

    private Tags() {
    }

    public static boolean isValid(String tag) {
        return tag != null && TAG.matcher(tag).matches();
    }

    /** What is wrong with {@code tags} as a job's tags (too many, one breaking the rule, a repeat), if anything. */
    public static Optional<String> problem(List<String> tags) {
        if (tags.size() > MAX_TAGS) {
            return Optional.of(tags.size() + " tags; a job has at most " + MAX_TAGS);
        }
        for (int i = 0; i < tags.size(); i++) {
            if (!isValid(tags.get(i))) {
                return Optional.of("tags[" + i + "] must be " + RULE);
            }
            if (tags.subList(0, i).contains(tags.get(i))) {
                return Optional.of("tags[" + i + "] repeats '" + tags.get(i) + "'; tags are distinct");
            }
        }
        return Optional.empty();
    }

    /** An unmodifiable copy, empty for null: a job without tags has an empty list, never null. */
    static List<String> of(List<String> tags) {
        return tags == null ? List.of() : List.copyOf(tags);
    }
}
