package io.jobway.local.contract;

import io.jobway.local.emulator.EmbeddedSqs;
import io.jobway.local.emulator.EmulatorClients;
import io.jobway.queue.JobQueue;
import io.jobway.queue.JobQueueContract;
import io.jobway.queue.SqsJobQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The JobQueue contract on ElasticMQ, through the client a function builds: a fresh queue and dead-letter queue for
 * each test.
 */
class SqsJobQueueContractTest extends JobQueueContract {
    private static final AtomicInteger QUEUES = new AtomicInteger();
    private static EmbeddedSqs emulator;
    /** Creates the queues, as the local runtime does from the template. */
    private static SqsClient sqs;
    private static SqsClient functionSqs;

    @BeforeAll
    static void start() {
        emulator = EmbeddedSqs.startInMemory(0);
        sqs = EmulatorClients.sqs(emulator.endpoint());
        functionSqs = FunctionClients.at(emulator.endpoint()).sqs();
    }

    @AfterAll
    static void stop() {
        sqs.close();
        functionSqs.close();
        emulator.stop();
    }

    @Override
    protected JobQueue newQueue() {
        int n = QUEUES.incrementAndGet();
        String jobs = sqs.createQueue(b -> b.queueName("jobs-" + n)).queueUrl();
        String deadLetters = sqs.createQueue(b -> b.queueName("dead-letters-" + n)).queueUrl();
        return new SqsJobQueue(functionSqs, jobs, deadLetters);
    }
}
