package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jobway.local.http.HttpApiHost;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Every status docs/openapi.yaml documents for an operation was answered by the local HTTP host to some test of
 * this module (the functional tests, schemathesis' run, {@link ContractStatusesE2ETest}, {@link RacesE2ETest}):
 * a documented answer no test produces is either dead text or untested behaviour. It runs after the others.
 */
@Order(Integer.MAX_VALUE)
class DocumentedStatusesTest {
    @Test
    void every_documented_status_of_every_operation_was_answered_to_some_test() throws Exception {
        assumeTrue(ApiFuzzE2ETest.ran && ContractStatusesE2ETest.ran && RacesE2ETest.ran,
                "holds for the module's whole suite (./jobway test): run alone, the other tests have not answered");
        Set<String> answered = HttpApiHost.answered();
        Set<String> never = new TreeSet<>();
        for (ContractStatusesE2ETest.Operation operation : ContractStatusesE2ETest.operations()) {
            for (String status : operation.statuses()) {
                String pair = operation.key() + " " + status;
                if (!answered.contains(pair)) {
                    never.add(pair);
                }
            }
        }
        assertThat(never).as("documented answers no test produced (" + answered.size() + " answered)").isEmpty();
    }
}
