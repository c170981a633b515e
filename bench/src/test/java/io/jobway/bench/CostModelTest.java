package io.jobway.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.jobway.job.JobIds;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class CostModelTest {
    @Test
    void a_job_s_units_are_priced_line_by_line_at_the_published_rates() {
        // 1 request; one 100 ms invocation at 1024 MB and one 10 ms at 512 MB; 3 SQS requests; 4 write units,
        // 2 read units; 3 WebSocket messages; 1 KB of logs
        var job = new CostModel.PerJob(1, List.of(new CostModel.FunctionShare("WorkerFunction", 1, 100, 1024),
                new CostModel.FunctionShare("ApiFunction", 1, 10, 512)), 3, 4, 2, 3, 1_000);

        List<CostModel.Line> lines = CostModel.lines(job);

        assertThat(dollars(lines, "HTTP API requests")).isCloseTo(1.00, within(1e-9));
        assertThat(dollars(lines, "Lambda requests")).isCloseTo(0.40, within(1e-9));
        // 0.1 s x 1 GB = 0.1 GB-s a job: 100,000 GB-s a million jobs
        assertThat(dollars(lines, "Lambda duration, WorkerFunction")).isCloseTo(1.33334, within(1e-6));
        assertThat(dollars(lines, "Lambda duration, ApiFunction")).isCloseTo(0.0666670, within(1e-6));
        assertThat(dollars(lines, "SQS requests")).isCloseTo(1.20, within(1e-9));
        assertThat(dollars(lines, "DynamoDB writes")).isCloseTo(2.50, within(1e-9));
        assertThat(dollars(lines, "DynamoDB reads")).isCloseTo(0.25, within(1e-9));
        assertThat(dollars(lines, "WebSocket messages")).isCloseTo(3.00, within(1e-9));
        assertThat(dollars(lines, "CloudWatch Logs")).isCloseTo(0.50, within(1e-9)); // 1 GB a million jobs
        assertThat(CostModel.total(lines)).isCloseTo(10.250007, within(1e-5));
    }

    @Test
    void a_job_s_creation_time_is_read_from_its_uuid7_id() {
        Instant at = Instant.parse("2026-12-02T18:00:00.123Z");
        String id = new JobIds(Clock.fixed(at, ZoneOffset.UTC)).next();

        assertThat(LoadBench.createdAtMillis(id)).isEqualTo(at.toEpochMilli());
    }

    private static double dollars(List<CostModel.Line> lines, String item) {
        return lines.stream().filter(l -> l.item().equals(item)).findFirst().orElseThrow().dollarsPerMillion();
    }
}
