package io.jobway.worker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.jobway.aws.Clients;
import io.jobway.aws.Config;
import io.jobway.aws.Priming;
import io.jobway.events.BatchProcessor;
import io.jobway.events.SqsBatch;
import io.jobway.events.SqsMessage;
import io.jobway.obs.Log;
import io.jobway.queue.JobMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * SQS-triggered worker: an adapter from the Lambda event to {@link JobRunner}, whose {@code process} is the function
 * the batch processor runs for each message. It reads the raw event itself ({@link SqsBatch}), so that Lambda's
 * runtime never loads its event serializer: the first job after an idle spell waits for this function's cold start.
 */
public final class WorkerFunction implements RequestStreamHandler {
    /** template.yaml's Timeout for this function; its AWS calls are fitted to it (TemplateRulesTest). */
    public static final Duration LAMBDA_TIMEOUT = Duration.ofSeconds(900);
    private final BatchProcessor<SqsMessage> batch;
    /** Held here because CRaC keeps resources weakly; null when built for tests. */
    final Priming priming;

    public WorkerFunction() {
        this(Config.fromEnvironment(), Clients.create(Config.fromEnvironment(), LAMBDA_TIMEOUT));
    }

    /** Wired from the environment variables template.yaml declares for WorkerFunction. */
    public WorkerFunction(Config config, Clients clients) {
        this(JobRunner.createAll(config, clients), JobRunner.queueName(config.require(Config.JOBS_QUEUE_URL)),
                Priming.register("WorkerFunction", clients, primed -> {
            // the sample message twice: with too little time left, the runner hands it back unclaimed (an SQS
            // request, marshalled and not sent); with time enough, it tries the claim (a conditional DynamoDB
            // update, refused the same way), so the claim's request classes are in the snapshot too. The lease
            // token that claim drew dies with the refused request. Then a message that is no job message, which
            // goes to the dead-letter queue (a SendMessage, refused too).
            byte[] batch = SqsBatch.primingEvent(
                    new JobMessage("00000000-0000-7000-8000-000000000000", 60).toBody());
            var sample = new WorkerFunction(JobRunner.create(config, primed));
            Priming.invoke(sample, batch, Priming.context("WorkerFunction", Duration.ofSeconds(10)));
            Priming.invoke(sample, batch, Priming.context("WorkerFunction", LAMBDA_TIMEOUT));
            Priming.invoke(sample, SqsBatch.primingEvent("{\"snapstart\":\"priming\"}"),
                    Priming.context("WorkerFunction", LAMBDA_TIMEOUT));
                }));
    }

    public WorkerFunction(JobRunner runner) {
        this(Map.of("", runner), "", null);
    }

    private WorkerFunction(Map<String, JobRunner> byQueue, String normalQueue, Priming priming) {
        this.batch = processor(byQueue, normalQueue);
        this.priming = priming;
    }

    /**
     * The worker's batch, run by the runner of the queue it came from (each priority's queue has a mapping of its
     * own; a batch never mixes them): first its messages are held for this invocation's time only (so that if it
     * dies, they come back soon after its deadline, not after the queue's 90 minutes), then each goes through
     * {@link JobRunner#process}, within that time.
     */
    static BatchProcessor<SqsMessage> processor(Map<String, JobRunner> byQueue, String normalQueue) {
        return BatchProcessor.sqsSeeingBatch("worker.message-failed", (context, messages) -> {
            String queue = messages.isEmpty() ? null : messages.get(0).queueName();
            JobRunner runner = queue != null && byQueue.containsKey(queue) ? byQueue.get(queue)
                    : byQueue.get(normalQueue); // an event that does not say where it came from (priming, tests)
            Instant deadline = runner.deadlineAfter(Duration.ofMillis(context.getRemainingTimeInMillis()));
            runner.holdUntil(messages, deadline);
            return message -> runner.process(message, deadline);
        });
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        try (Log.Scope scope = Log.invocation(context)) {
            batch.handle(input, output, context);
        }
    }
}
