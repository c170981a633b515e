package io.jobway.queue;

import java.time.Clock;

/** The in-memory twin, on the real clock, passes the same contract as SQS. */
class InMemoryJobQueueTest extends JobQueueContract {
    @Override
    protected JobQueue newQueue() {
        return new InMemoryJobQueue(Clock.systemUTC());
    }
}
