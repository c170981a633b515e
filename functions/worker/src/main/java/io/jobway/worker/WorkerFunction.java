package io.jobway.worker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.jobway.aws.Clients;
import io.jobway.aws.Config;
import java.time.Instant;

/** SQS-triggered worker: an adapter from the Lambda event to {@link JobRunner}. */
public final class WorkerFunction implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final JobRunner runner;

    public WorkerFunction() {
        this(Config.fromEnvironment(), Clients.create(Config.fromEnvironment()));
    }

    /** Wired from the environment variables template.yaml declares for WorkerFunction. */
    public WorkerFunction(Config config, Clients clients) {
        this(JobRunner.create(config, clients));
    }

    public WorkerFunction(JobRunner runner) {
        this.runner = runner;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return runner.run(event, Instant.now().plusMillis(context.getRemainingTimeInMillis()));
    }
}
