package io.jobway.lambda;

import static io.jobway.lambda.Lambda.answer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** AuthorizerFunction's package under Lambda's runtime (SnapStart), fed events/authorizer-*: simple responses. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizerPackageTest {
    private final Lambda lambda = Lambda.shared();
    private ExecutionEnvironment authorizer;

    @BeforeAll
    void start() {
        authorizer = ExecutionEnvironment.start(lambda.java, lambda.stack.function("AuthorizerFunction"),
                ExecutionEnvironment.Init.SNAP_START);
    }

    @AfterAll
    void stop() {
        authorizer.close();
    }

    @Test
    void a_known_key_is_authorized_with_its_tenant_and_an_unknown_one_is_not() {
        assertThat(lambda.eventsOf("AuthorizerFunction")).containsExactly("authorizer-request.json");
        lambda.registerSampleKey();

        JsonNode known = answer(authorizer, lambda.event("authorizer-request.json"));
        JsonNode forged = answer(authorizer, lambda.event("authorizer-request.json")
                .replace(Lambda.SAMPLE_KEY, "jw_forged00_Xq3vN8kLm4Rt7YpWz2Bc9DfH"));

        assertThat(known).isEqualTo(Json.parse("{\"isAuthorized\":true,\"context\":"
                + "{\"tenantId\":\"tenant-sample\",\"keyId\":\"smpl2026\",\"scopes\":\"jobs:read,jobs:write\"}}"));
        assertThat(forged).isEqualTo(Json.parse("{\"isAuthorized\":false}"));
        SnapStart.assertPrimedWithoutCredentials(authorizer, "AuthorizerFunction");
    }
}
