package io.jobway.worker;

import java.time.Duration;

/** What becomes of one SQS message after the worker handled it. */
sealed interface MessageOutcome {
    /** Done with it: the event source mapping deletes it. */
    record Delete() implements MessageOutcome {
    }

    /** Hand it back to the queue, visible again after {@code after}. */
    record ReturnAfter(Duration after) implements MessageOutcome {
    }

    /** Hand it back untouched: our receipt may be stale, so the message keeps the visibility it has. */
    record Release() implements MessageOutcome {
    }
}
