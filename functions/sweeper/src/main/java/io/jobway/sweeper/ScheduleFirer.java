package io.jobway.sweeper;

import io.jobway.job.JobSpec;
import io.jobway.obs.Log;
import io.jobway.schedule.CronSchedule;
import io.jobway.schedule.FirePlan;
import io.jobway.schedule.Schedule;
import io.jobway.schedule.ScheduleStore;
import io.jobway.submit.JobSubmitter;
import io.jobway.submit.Submission;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Submits the job of each due fire time of each enabled schedule, exactly once per fire time: the job's
 * idempotency key is the schedule's name and the fire time, so an overlapping or a repeated sweep gets the same
 * job back. The job is submitted up to {@link Schedule#AHEAD} early with the fire time as its run time, and the
 * schedule is then moved to its next fire time with a write conditional on its version.
 */
public final class ScheduleFirer implements DueSchedules {
    static final int PAGE = 100;
    /**
     * How long a run spends on schedules: with the jobs' {@link Sweeper#DUE_BUDGET} and the dead letters it stays
     * inside the function's 60 s timeout. A fire is submitted up to 2 minutes early, so a run that stops short
     * leaves the rest to the next run, still on time.
     */
    static final Duration BUDGET = Duration.ofSeconds(15);
    /** Longer than any overlap of two sweeps, so a fire time's key still names its job when the other looks. */
    static final Duration KEY_WINDOW = Duration.ofDays(7);

    private final ScheduleStore schedules;
    private final JobSubmitter submitter;
    private final Clock clock;

    public ScheduleFirer(ScheduleStore schedules, JobSubmitter submitter, Clock clock) {
        this.schedules = schedules;
        this.submitter = submitter;
        this.clock = clock;
    }

    @Override
    public int fire() {
        int fired = 0;
        long stopAt = System.nanoTime() + BUDGET.toNanos();
        while (System.nanoTime() < stopAt) {
            Instant now = clock.instant();
            List<Schedule> page = schedules.findDue(now, PAGE);
            int moved = 0;
            for (Schedule schedule : page) {
                try {
                    fired += fire(schedule, now);
                    moved++;
                } catch (RuntimeException e) {
                    Log.error("schedule.fire-failed", "tenantId", schedule.tenantId(), "schedule", schedule.name(),
                            "error", e.toString(), "action", "tried again at the next sweep; each fire time once");
                }
            }
            if (page.size() < PAGE || moved == 0) {
                break;
            }
        }
        return fired;
    }

    private int fire(Schedule schedule, Instant now) {
        CronSchedule cron = schedule.cronSchedule();
        FirePlan plan = FirePlan.of(cron, schedule.catchUp(), schedule.nextFireAt(), now);
        if (plan.missedSkipped() > 0) {
            Log.warn("schedule.missed", "tenantId", schedule.tenantId(), "schedule", schedule.name(),
                    "skipped", plan.missedSkipped(), "catchUp", schedule.catchUp().wireName());
        }
        Instant lastFired = null;
        String lastJob = null;
        int submitted = 0;
        for (Instant fireTime : plan.fires()) {
            JobSpec spec = schedule.job().withRunAt(fireTime).withIdempotencyKey(schedule.keyFor(fireTime));
            String jobId = switch (submitter.submit(schedule.tenantId(), spec, KEY_WINDOW)) {
                case Submission.Accepted accepted -> accepted.job().jobId();
                case Submission.Replayed replayed -> replayed.job().jobId(); // an overlapping sweep submitted it
                // the schedule's job was changed after this fire time was submitted: it was submitted, once
                case Submission.KeyReused reused -> reused.originalJobId();
                case Submission.KeyInFlight inFlight -> throw new IllegalStateException("the job of fire time "
                        + fireTime + " is being recorded by another sweep");
                case Submission.NotRecorded notRecorded -> throw new IllegalStateException("the job of fire time "
                        + fireTime + " could not be recorded");
            };
            Log.info("schedule.fired", "tenantId", schedule.tenantId(), "schedule", schedule.name(), "fireTime",
                    fireTime, "jobId", jobId);
            lastFired = fireTime;
            lastJob = jobId;
            submitted++;
        }
        // Lost to an overlapping sweep or an edit: either way every fire time above has its one job.
        schedules.save(schedule, schedule.advanced(plan.nextFireAt(), lastFired, lastJob, now));
        return submitted;
    }
}
