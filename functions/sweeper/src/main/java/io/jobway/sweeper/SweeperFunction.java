package io.jobway.sweeper;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.jobway.aws.Clients;
import io.jobway.aws.Config;
import io.jobway.queue.SqsJobQueue;
import io.jobway.store.DynamoJobStore;
import java.time.Clock;
import java.util.Map;

/** Runs the {@link Sweeper} on the one-minute schedule; the EventBridge event carries nothing it needs. */
public final class SweeperFunction implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final Sweeper sweeper;

    public SweeperFunction() {
        this(Config.fromEnvironment(), Clients.create(Config.fromEnvironment()));
    }

    public SweeperFunction(Config config, Clients clients) {
        this(new Sweeper(
                new DynamoJobStore(clients.dynamo(), config.require(Config.JOBS_TABLE), null),
                new SqsJobQueue(clients.sqs(), config.require(Config.JOBS_QUEUE_URL),
                        config.require(Config.DEAD_LETTER_QUEUE_URL)),
                Clock.systemUTC()));
    }

    SweeperFunction(Sweeper sweeper) {
        this.sweeper = sweeper;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        Sweeper.Report report = sweeper.sweep();
        return Map.of("dueResent", report.dueResent(), "deadLettersRedelivered", report.deadLettersRedelivered());
    }
}
