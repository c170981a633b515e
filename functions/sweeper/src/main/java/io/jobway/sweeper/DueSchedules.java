package io.jobway.sweeper;

/** The schedules part of a sweep: submits the jobs of the fire times that are due; how many it submitted. */
public interface DueSchedules {
    int fire();

    /** A sweep with no schedules to look at (tests of the rest). */
    DueSchedules NONE = () -> 0;
}
