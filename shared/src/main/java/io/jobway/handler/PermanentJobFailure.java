package io.jobway.handler;

/**
 * Thrown by a handler when trying again cannot help (a 404 from the target, an invalid payload): the job
 * ends dead at once, whatever attempts remain.
 */
public class PermanentJobFailure extends RuntimeException {
    public PermanentJobFailure(String message) {
        super(message);
    }
}
