package io.jobway.job;

/** How far a running job is, as its handler last reported it. */
public record Progress(int percent, String message) {
    public Progress {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("progress percent must be 0-100, was " + percent);
        }
    }
}
