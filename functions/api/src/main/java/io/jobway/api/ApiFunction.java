package io.jobway.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.jobway.aws.Clients;
import io.jobway.aws.Config;
import io.jobway.aws.Priming;
import io.jobway.notify.CallbackUrlGuard;
import io.jobway.notify.DeliveryLog;
import io.jobway.notify.HookSourceStore;
import io.jobway.notify.WebhookSecretStore;
import io.jobway.queue.SqsJobQueue;
import io.jobway.store.DynamoJobStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** HTTP API (payload v2) adapter: event in, {@link JobsApi} route, response out. */
public final class ApiFunction implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private static final String PRIMING_JOB_ID = "00000000-0000-7000-8000-000000000000";

    private final JobsApi api;
    /** Held here because CRaC keeps resources weakly; null when built for tests. */
    final Priming priming;

    public ApiFunction() {
        this(Config.fromEnvironment(), Clients.create(Config.fromEnvironment()));
    }

    /** Wired from the environment variables template.yaml declares for ApiFunction. */
    public ApiFunction(Config config, Clients clients) {
        this(wire(config, clients), Priming.register("ApiFunction", clients, primed -> prime(config, primed)));
    }

    ApiFunction(JobsApi api) {
        this(api, null);
    }

    private ApiFunction(JobsApi api, Priming priming) {
        this.api = api;
        this.priming = priming;
    }

    /**
     * SnapStart priming: a submit and a read through a throwaway wiring. The submit carries an Idempotency-Key,
     * so it stops at the key's lookup (a DynamoDB request, marshalled and not sent) before a job id is drawn.
     */
    private static void prime(Config config, Clients primed) {
        ApiFunction function = new ApiFunction(wire(config, primed));
        String type = config.require(Config.JOB_TYPES).split(",")[0].trim();
        var context = Priming.context("ApiFunction", Duration.ofSeconds(10));
        function.handleRequest(primingEvent("POST /v1/jobs", "/v1/jobs", Map.of(),
                "{\"type\":\"" + type + "\",\"payload\":{\"priming\":true},\"maxAttempts\":3}"), context);
        function.handleRequest(primingEvent("GET /v1/jobs/{id}", "/v1/jobs/" + PRIMING_JOB_ID,
                Map.of("id", PRIMING_JOB_ID), null), context);
    }

    private static APIGatewayV2HTTPEvent primingEvent(String routeKey, String path, Map<String, String> parameters,
                                                      String body) {
        return APIGatewayV2HTTPEvent.builder().withVersion("2.0").withRouteKey(routeKey).withRawPath(path)
                .withHeaders(Map.of("content-type", "application/json", "idempotency-key", "snapstart-priming"))
                .withPathParameters(parameters).withBody(body).withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withRouteKey(routeKey)
                        .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                                .withLambda(Map.of(AuthorizerFunction.TENANT_ID, "snapstart-priming")).build())
                        .build())
                .build();
    }

    private static JobsApi wire(Config config, Clients clients) {
        DynamoDbClient dynamo = clients.dynamo();
        SqsClient sqs = clients.sqs();
        String jobsTable = config.require(Config.JOBS_TABLE);
        String queueUrl = config.require(Config.JOBS_QUEUE_URL);
        Clock clock = Clock.systemUTC();
        Set<String> jobTypes = Arrays.stream(config.require(Config.JOB_TYPES).split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        return new JobsApi(
                new DynamoJobStore(dynamo, jobsTable, config.require(Config.IDEMPOTENCY_TABLE)),
                // The API never writes to the DLQ; it only enqueues.
                new SqsJobQueue(sqs, queueUrl, null),
                jobTypes,
                CallbackUrlGuard.create(Boolean.parseBoolean(config.require(Config.ALLOW_PRIVATE_CALLBACK_URLS))),
                Duration.ofDays(config.requireInt(Config.JOB_RETENTION_DAYS, 1, 3_650)),
                clock,
                new AwsHealthCheck(dynamo, sqs, jobsTable, queueUrl, clock),
                new WebhooksApi(new WebhookSecretStore(dynamo, config.require(Config.WEBHOOK_SECRETS_TABLE)),
                        new DeliveryLog(dynamo, config.require(Config.DELIVERIES_TABLE)), clock),
                new HooksApi(new HookSourceStore(dynamo, config.require(Config.HOOK_SOURCES_TABLE)), jobTypes, clock));
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        ApiResponse response = api.handle(toRequest(event));
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.status())
                .withHeaders(response.headers())
                .withBody(response.body())
                .build();
    }

    static ApiRequest toRequest(APIGatewayV2HTTPEvent event) {
        Map<String, String> headers = new HashMap<>();
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), value));
        }
        String body = event.getBody();
        if (body != null && event.getIsBase64Encoded()) {
            body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
        }
        return new ApiRequest(event.getRouteKey(), event.getRawPath(), tenantOf(event), event.getPathParameters(),
                event.getQueryStringParameters(), headers, body);
    }

    private static String tenantOf(APIGatewayV2HTTPEvent event) {
        var context = event.getRequestContext();
        if (context == null || context.getAuthorizer() == null || context.getAuthorizer().getLambda() == null) {
            return null;
        }
        Object tenant = context.getAuthorizer().getLambda().get(AuthorizerFunction.TENANT_ID);
        return tenant == null ? null : tenant.toString();
    }
}
