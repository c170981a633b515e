package io.jobway.sweeper;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.jobway.aws.Clients;
import io.jobway.aws.Config;
import io.jobway.aws.Priming;
import io.jobway.queue.SqsJobQueue;
import io.jobway.store.DynamoJobStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** Runs the {@link Sweeper} on the one-minute schedule; the EventBridge event carries nothing it needs. */
public final class SweeperFunction implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final Sweeper sweeper;
    /** Held here because CRaC keeps resources weakly; null when built for tests. */
    final Priming priming;

    public SweeperFunction() {
        this(Config.fromEnvironment(), Clients.create(Config.fromEnvironment()));
    }

    public SweeperFunction(Config config, Clients clients) {
        this(sweeper(config, clients), Priming.register("SweeperFunction", clients, primed ->
                // SnapStart priming: a sweep whose first query (the due index) is marshalled and not sent
                new SweeperFunction(sweeper(config, primed)).handleRequest(Map.of("detail-type", "Scheduled Event"),
                        Priming.context("SweeperFunction", Duration.ofSeconds(60)))));
    }

    SweeperFunction(Sweeper sweeper) {
        this(sweeper, null);
    }

    private SweeperFunction(Sweeper sweeper, Priming priming) {
        this.sweeper = sweeper;
        this.priming = priming;
    }

    private static Sweeper sweeper(Config config, Clients clients) {
        return new Sweeper(
                new DynamoJobStore(clients.dynamo(), config.require(Config.JOBS_TABLE), null),
                new SqsJobQueue(clients.sqs(), config.require(Config.JOBS_QUEUE_URL),
                        config.require(Config.DEAD_LETTER_QUEUE_URL)),
                Clock.systemUTC());
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        Sweeper.Report report = sweeper.sweep();
        return Map.of("dueResent", report.dueResent(), "deadLettersRedelivered", report.deadLettersRedelivered());
    }
}
