package io.jobway.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import io.jobway.fixtures.LambdaEvents;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The authorizer's event, read as Lambda's runtime serializer reads it, and its simple response. */
class AuthorizerRequestTest {

    @Test
    void reads_the_sample_request_events_headers_as_the_runtime_serializer_does() throws IOException {
        AuthorizerRequest ours;
        try (InputStream in = Files.newInputStream(LambdaEvents.path("authorizer-request.json"))) {
            ours = AuthorizerRequest.read(in);
        }

        assertThat(ours.headers()).isEqualTo(
                LambdaEvents.load("authorizer-request.json", APIGatewayV2CustomAuthorizerEvent.class).getHeaders());
        assertThat(ours.bearerToken()).contains("jw_smpl2026_Xq3vN8kLm4Rt7YpWz2Bc9DfH");
    }

    @Test
    void an_allowed_answer_carries_its_context_and_a_denied_one_nothing() throws IOException {
        Map<String, String> context = new LinkedHashMap<>();
        context.put(AuthorizerResponse.TENANT_ID, "tenant-a");
        context.put("scopes", "");

        assertThat(written(AuthorizerResponse.allow(context)))
                .isEqualTo("{\"isAuthorized\":true,\"context\":{\"tenantId\":\"tenant-a\",\"scopes\":\"\"}}");
        assertThat(written(AuthorizerResponse.deny())).isEqualTo("{\"isAuthorized\":false}");
    }

    private static String written(AuthorizerResponse response) throws IOException {
        var out = new ByteArrayOutputStream();
        response.write(out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
