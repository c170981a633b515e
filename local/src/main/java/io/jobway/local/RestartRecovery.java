package io.jobway.local;

import io.jobway.job.Job;
import io.jobway.job.JobStatus;
import io.jobway.obs.Log;
import io.jobway.store.ConcurrentJobModification;
import io.jobway.store.DynamoJobStore;
import io.jobway.store.JobItemMapper;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What a start on a data directory does about the run before it, which may have been killed: every worker of
 * that run is gone, so the leases of its running attempts end now (their messages, which the embedded SQS makes
 * visible again at start, are then claimed for a new attempt at once). Only for the embedded emulators, whose
 * data directory no other process can hold; never for an external emulator another runtime may share.
 */
final class RestartRecovery {
    private RestartRecovery() {
    }

    /** Ends each live lease in the jobs table; returns how many. A job changed meanwhile is left to its owner. */
    static int releaseLeases(DynamoDbClient dynamo, String jobsTable, Instant now) {
        DynamoJobStore store = new DynamoJobStore(dynamo, jobsTable, null);
        int released = 0;
        for (Map<String, AttributeValue> item : dynamo.scanPaginator(b -> b.tableName(jobsTable).consistentRead(true)
                .filterExpression("#status = :running")
                .expressionAttributeNames(Map.of("#status", JobItemMapper.STATUS))
                .expressionAttributeValues(Map.of(":running", AttributeValue.fromS(JobStatus.RUNNING.wireName()))))
                .items()) {
            Job job = JobItemMapper.fromItem(item);
            if (job == null || job.leaseExpired(now)) {
                continue;
            }
            try {
                store.save(job, job.leaseReleased(now));
                released++;
            } catch (ConcurrentJobModification e) {
                // a worker of this run already took it
            }
        }
        if (released > 0) {
            Log.info("local.leases-released", "jobs", released);
        }
        return released;
    }
}
