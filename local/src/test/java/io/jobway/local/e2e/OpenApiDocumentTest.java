package io.jobway.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobway.local.template.CfnTemplate;
import io.jobway.local.template.EventSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * docs/openapi.yaml is the API's contract: it names exactly the routes the template serves, and the runtime serves
 * the document itself, byte for byte, without a key.
 */
class OpenApiDocumentTest {
    static final Path DOCUMENT = LocalJobway.templatePath().resolveSibling("docs/openapi.yaml");
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    @SuppressWarnings("unchecked")
    static Map<String, Object> document() throws Exception {
        return new Yaml(new LoaderOptions()).load(Files.readString(DOCUMENT));
    }

    @Test
    @SuppressWarnings("unchecked")
    void the_document_names_exactly_the_routes_of_the_template() throws Exception {
        Set<String> documented = new TreeSet<>();
        ((Map<String, Map<String, Object>>) document().get("paths")).forEach((path, operations) ->
                operations.keySet().stream().filter(METHODS::contains)
                        .forEach(method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path)));
        Set<String> served = new TreeSet<>();
        CfnTemplate.load(LocalJobway.templatePath()).functions().forEach(f -> f.eventsOfType(EventSource.HTTP_API)
                .forEach(e -> served.add(e.property("Method") + " " + e.property("Path"))));

        assertThat(documented).as("documented routes (left) against the template's (right)").isEqualTo(served);
    }

    @Test
    @SuppressWarnings("unchecked")
    void every_operation_documents_a_success_and_every_error_is_a_problem_or_api_gateways_message() throws Exception {
        Map<String, Object> document = document();
        var paths = (Map<String, Map<String, Object>>) document.get("paths");
        var shared = (Map<String, Map<String, Object>>) ((Map<String, Object>) document.get("components")).get("responses");
        Set<String> wrong = new TreeSet<>();
        paths.forEach((path, operations) -> operations.forEach((method, operation) -> {
            if (!METHODS.contains(method)) {
                return;
            }
            var responses = (Map<Object, Map<String, Object>>) ((Map<String, Object>) operation).get("responses");
            if (responses == null || responses.keySet().stream().noneMatch(code -> String.valueOf(code).startsWith("2"))) {
                wrong.add(method + " " + path + ": no 2xx answer documented");
                return;
            }
            responses.forEach((code, response) -> {
                Object ref = response.get("$ref");
                Map<String, Object> resolved = ref == null ? response
                        : shared.get(ref.toString().substring(ref.toString().lastIndexOf('/') + 1));
                var content = resolved == null ? null : (Map<String, Map<String, Object>>) resolved.get("content");
                if (!String.valueOf(code).matches("[45]..") || path.equals("/v1/health")) {
                    return; // health's 503 is its report, as its 200 is
                }
                if (content == null || !content.containsKey("application/problem+json")
                        && !content.containsKey("application/json")) {
                    wrong.add(method + " " + path + " " + code + ": no error body documented");
                    return;
                }
                // the API's errors are problems; API Gateway's own (no key, throttled, too large) are {"message"}
                content.forEach((type, media) -> {
                    String schema = String.valueOf(media.get("schema"));
                    if (!(type.equals("application/problem+json") && schema.contains("schemas/Problem"))
                            && !(type.equals("application/json") && schema.contains("schemas/GatewayMessage"))) {
                        wrong.add(method + " " + path + " " + code + ": " + type + " " + schema);
                    }
                });
            });
        }));
        assertThat(wrong).isEmpty();
    }

    @Test
    void the_runtime_serves_the_document_without_a_key() throws Exception {
        LocalJobway jobway = LocalJobway.shared();
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(jobway.baseUrl() + "/v1/openapi.yaml")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).contains("application/yaml; charset=utf-8");
        assertThat(response.body()).isEqualTo(Files.readString(DOCUMENT));
    }
}
