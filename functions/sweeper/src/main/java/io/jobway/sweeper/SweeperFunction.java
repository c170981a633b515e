package io.jobway.sweeper;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.jobway.aws.Clients;
import io.jobway.aws.Config;
import io.jobway.aws.Priming;
import io.jobway.dlq.DynamoUnclaimedDeadLetters;
import io.jobway.json.Json;
import io.jobway.events.ScheduledEvent;
import io.jobway.obs.Log;
import io.jobway.queue.JobQueues;
import io.jobway.schedule.ScheduleStore;
import io.jobway.submit.JobSubmitter;
import io.jobway.obs.MeasuredJobStore;
import io.jobway.store.DynamoJobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Runs the {@link Sweeper} on the one-minute schedule; the EventBridge event carries nothing it needs. Like every
 * Jobway function it takes the raw event, so Lambda's runtime loads no serializer for it, and no package needs
 * the libraries that serializer loads.
 */
public final class SweeperFunction implements RequestStreamHandler {
    /** template.yaml's Timeout for this function; its AWS calls are fitted to it (TemplateRulesTest). */
    public static final Duration LAMBDA_TIMEOUT = Duration.ofSeconds(60);
    private static final byte[] PRIMING_EVENT =
            "{\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\"}".getBytes(StandardCharsets.UTF_8);

    private final Sweeper sweeper;
    /** Held here because CRaC keeps resources weakly; null when built for tests. */
    final Priming priming;

    public SweeperFunction() {
        this(Config.fromEnvironment(), Clients.create(Config.fromEnvironment(), LAMBDA_TIMEOUT));
    }

    public SweeperFunction(Config config, Clients clients) {
        this(sweeper(config, clients), Priming.register("SweeperFunction", clients, primed ->
                // SnapStart priming: a sweep whose queries (both due indexes) are marshalled and not sent
                Priming.invoke(new SweeperFunction(sweeper(config, primed)), PRIMING_EVENT,
                        Priming.context("SweeperFunction", LAMBDA_TIMEOUT))));
    }

    SweeperFunction(Sweeper sweeper) {
        this(sweeper, null);
    }

    private SweeperFunction(Sweeper sweeper, Priming priming) {
        this.sweeper = sweeper;
        this.priming = priming;
    }

    private static Sweeper sweeper(Config config, Clients clients) {
        var store = new MeasuredJobStore(new DynamoJobStore(clients.dynamo(), config.require(Config.JOBS_TABLE),
                config.require(Config.IDEMPOTENCY_TABLE)), clients.metrics());
        var queue = JobQueues.fromConfig(clients.sqs(), config, config.require(Config.JOBS_QUEUE_URL),
                config.require(Config.DEAD_LETTER_QUEUE_URL));
        return new Sweeper(store, queue, clients.clock(), new ScheduleFirer(
                new ScheduleStore(clients.dynamo(), config.require(Config.SCHEDULES_TABLE)),
                new JobSubmitter(store, queue, clients.clock()), clients.clock()),
                new DynamoUnclaimedDeadLetters(clients.dynamo(), config.require(Config.DEAD_LETTERS_TABLE)));
    }

    /** One sweep per scheduled event; the answer reports what it did. */
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        try (Log.Scope scope = Log.invocation(context)) {
            ScheduledEvent.read(input); // refused if malformed; it carries nothing the sweep needs
            Sweeper.Report report = sweeper.sweep();
            output.write(Json.bytes(Json.object().put("schedulesFired", report.schedulesFired())
                    .put("scheduledEnqueued", report.scheduledEnqueued())
                    .put("dueResent", report.dueResent())
                    .put("deadLettersRedelivered", report.deadLettersRedelivered())));
        }
    }
}
