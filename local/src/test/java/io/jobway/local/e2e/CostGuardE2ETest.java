package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobway.local.LocalRuntime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cost budget of DESIGN.md, counted on the real calls: a small job spends, at submit, one write and one
 * send; in the worker, one claim and one completion write of one write unit each. Fails when a change adds
 * a call or makes an item or an index cost more.
 */
class CostGuardE2ETest {
    private static final Map<String, AwsCallCounter> COUNTERS = Map.of(
            "ApiFunction", new AwsCallCounter(), "WorkerFunction", new AwsCallCounter());
    private static LocalJobway jobway;

    @BeforeAll
    static void start() {
        jobway = new LocalJobway(LocalRuntime.Options.inMemory(LocalJobway.templatePath()).withInterceptors(
                name -> COUNTERS.containsKey(name) ? List.of(COUNTERS.get(name)) : List.of()));
    }

    @AfterAll
    static void stop() {
        jobway.close();
    }

    @Test
    void a_small_job_costs_one_write_and_one_send_to_submit_and_two_single_unit_writes_to_run() {
        COUNTERS.values().forEach(AwsCallCounter::reset);

        String id = jobway.submit("{\"type\":\"echo\",\"payload\":{\"to\":\"ada@example.com\",\"template\":\"welcome\"}}");
        List<AwsCallCounter.Call> api = COUNTERS.get("ApiFunction").calls(); // before polling adds reads
        jobway.awaitStatus(id, "succeeded", Duration.ofSeconds(30));

        assertThat(api).extracting(AwsCallCounter.Call::operation).containsExactly("SendMessage", "PutItem");
        AwsCallCounter.Call put = api.get(1);
        assertThat(put.tableWriteUnits()).isEqualTo(1.0);
        // the tenant listing index: one keys-only entry, written once when the job is created
        assertThat(put.indexWriteUnits()).isEqualTo(1.0);

        List<AwsCallCounter.Call> worker = COUNTERS.get("WorkerFunction").calls();
        assertThat(worker).extracting(AwsCallCounter.Call::operation).containsExactly("UpdateItem", "PutItem");
        assertThat(worker).allSatisfy(call -> {
            assertThat(call.tableWriteUnits()).isEqualTo(1.0);
            assertThat(call.indexWriteUnits()).isZero(); // a state change touches no index
        });
    }
}
