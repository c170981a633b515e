package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A corpus of requests that once hurt the runtime: each gets a 4xx of a bounded size (no 5xx, no empty reply),
 * stores nothing, and the runtime answers a normal submit and its tenant's listing afterwards.
 */
class HostileRequestsE2ETest {
    private static final String KEY = "jw_hostile_" + "hostilehostilehostile";
    /** Far above any real problem+json, far below what an echo of the request would make. */
    private static final int MAX_PROBLEM_BYTES = 16 * 1024;
    private static final LocalJobway jobway = LocalJobway.shared();

    @BeforeAll
    static void registerTenant() {
        jobway.registerKey(KEY, "tenant-hostile");
    }

    static Stream<Arguments> hostile() {
        String unknownFields = IntStream.range(0, 200_000).mapToObj(i -> "\"f" + i + "\":1")
                .collect(Collectors.joining(",", "{\"type\":\"echo\",", "}"));
        return Stream.of(
                Arguments.of("a payload nested 999 levels", "POST", "/v1/jobs",
                        "{\"type\":\"echo\",\"payload\":" + "[".repeat(999) + "]".repeat(999) + "}", 400),
                Arguments.of("a body nested 5,000 levels", "POST", "/v1/jobs",
                        "{\"type\":\"echo\",\"payload\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}", 400),
                Arguments.of("200,000 unknown fields", "POST", "/v1/jobs", unknownFields, 400),
                Arguments.of("a 200 KB query string", "GET", "/v1/jobs?status=" + "x".repeat(200_000), null, 414),
                Arguments.of("a query string just under API Gateway's 10,240-byte request line and headers", "GET",
                        "/v1/jobs?status=" + "x".repeat(9_000), null, 400),
                Arguments.of("a 3,000-character hook source id", "POST", "/v1/hooks/hs_" + "x".repeat(3_000), "{}",
                        404));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("hostile")
    void a_hostile_request_gets_a_bounded_4xx_and_the_runtime_goes_on(String what, String method, String path,
                                                                      String body, int status) {
        LocalJobway.Response response = method.equals("GET") ? jobway.get(path, KEY) : jobway.post(path, KEY, body);

        assertThat(response.status()).as(what).isEqualTo(status);
        assertThat(response.header("content-type")).isEqualTo("application/problem+json");
        assertThat(response.body().length()).as("the answer's size").isLessThan(MAX_PROBLEM_BYTES);
        assertThat(jobway.get("/v1/jobs", KEY).json().get("items")).as("nothing stored").isEmpty();
    }

    @AfterAll
    static void theRuntimeStillAnswers() {
        String id = jobway.submit("{\"type\":\"echo\",\"payload\":{\"after\":\"the corpus\"}}");
        jobway.awaitStatus(id, "succeeded", java.time.Duration.ofSeconds(30));
        assertThat(jobway.get("/v1/jobs", KEY).status()).isEqualTo(200);
    }
}
