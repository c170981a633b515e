package io.jobway.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * What the emulators and the SDK's clients alone cost at a rate of jobs: the calls of {@link JobCalls} at that
 * rate, one receiver, no function, event source or HTTP host of Jobway's around them.
 *
 * <p>Usage: {@code ./jobway bench floor [RATE] [SECONDS] [WARM_UP_SECONDS]} (defaults 20, 60, 120). Prints the
 * process's CPU over the measured part, in cores: the floor under the runtime's CPU at the same rate.
 */
public final class CallFloorBench {
    public static void main(String[] args) throws Exception {
        double rate = args.length > 0 ? Double.parseDouble(args[0]) : 20;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int warmUp = args.length > 2 ? Integer.parseInt(args[2]) : 120;
        try (JobCalls calls = new JobCalls().startConsumers(1)) {
            calls.submitAt(rate, Duration.ofSeconds(warmUp));
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long doneBefore = calls.done();
            long cpuBefore = os.getProcessCpuTime();
            long wallBefore = System.nanoTime();
            calls.submitAt(rate, Duration.ofSeconds(seconds));
            double cores = (os.getProcessCpuTime() - cpuBefore) / (double) (System.nanoTime() - wallBefore);
            long jobsDone = calls.done() - doneBefore;
            System.out.printf("the calls of %.0f jobs/s for %d s after a %d s warm-up: %d jobs done, %.2f cores"
                    + " (%.1f ms of CPU a job)%n", rate, seconds, warmUp, jobsDone, cores,
                    cores * seconds * 1000 / Math.max(1, jobsDone));
        }
    }
}
