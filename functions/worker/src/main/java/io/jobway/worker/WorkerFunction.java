package io.jobway.worker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.jobway.aws.Clients;
import io.jobway.aws.Config;
import io.jobway.aws.Priming;
import io.jobway.queue.JobMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** SQS-triggered worker: an adapter from the Lambda event to {@link JobRunner}. */
public final class WorkerFunction implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final JobRunner runner;
    /** Held here because CRaC keeps resources weakly; null when built for tests. */
    final Priming priming;

    public WorkerFunction() {
        this(Config.fromEnvironment(), Clients.create(Config.fromEnvironment()));
    }

    /** Wired from the environment variables template.yaml declares for WorkerFunction. */
    public WorkerFunction(Config config, Clients clients) {
        this(JobRunner.create(config, clients), Priming.register("WorkerFunction", clients, primed ->
                new WorkerFunction(JobRunner.create(config, primed)).handleRequest(primingBatch(),
                        // too little time left for the job: the runner hands the message back unclaimed (an SQS
                        // request, marshalled and not sent) and draws no lease token
                        Priming.context("WorkerFunction", Duration.ofSeconds(10)))));
    }

    public WorkerFunction(JobRunner runner) {
        this(runner, null);
    }

    private WorkerFunction(JobRunner runner, Priming priming) {
        this.runner = runner;
        this.priming = priming;
    }

    private static SQSEvent primingBatch() {
        var message = new SQSEvent.SQSMessage();
        message.setMessageId("snapstart-priming");
        message.setReceiptHandle("snapstart-priming");
        message.setBody(new JobMessage("00000000-0000-7000-8000-000000000000", 60).toBody());
        message.setAttributes(Map.of("ApproximateReceiveCount", "1"));
        var event = new SQSEvent();
        event.setRecords(List.of(message));
        return event;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return runner.run(event, Instant.now().plusMillis(context.getRemainingTimeInMillis()));
    }
}
