package io.jobway.queue;

import io.jobway.aws.Config;
import io.jobway.job.Priority;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The jobs queues template.yaml gives a function, one per priority. Apart from {@link SqsJobQueue}, so that a
 * function using that class for another queue (the webhook function) reads none of these variables.
 */
public final class JobQueues {
    private JobQueues() {
    }

    /** A queue that sends each job to its priority's queue; {@code ownUrl} is the one it receives from. */
    public static SqsJobQueue fromConfig(SqsClient sqs, Config config, String ownUrl, String deadLetterQueueUrl) {
        return new SqsJobQueue(sqs, ownUrl, urls(config), deadLetterQueueUrl);
    }

    public static Map<Priority, String> urls(Config config) {
        return Map.of(Priority.HIGH, config.require(Config.JOBS_HIGH_QUEUE_URL),
                Priority.NORMAL, config.require(Config.JOBS_QUEUE_URL),
                Priority.LOW, config.require(Config.JOBS_LOW_QUEUE_URL));
    }
}
