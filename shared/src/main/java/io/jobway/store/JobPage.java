package io.jobway.store;

import io.jobway.job.Job;
import java.util.List;

/** One page of jobs; {@code nextAfterJobId} is null on the last page. */
public record JobPage(List<Job> items, String nextAfterJobId) {
}
