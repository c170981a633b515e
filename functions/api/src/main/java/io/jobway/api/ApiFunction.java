package io.jobway.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.jobway.auth.BrowserTokens;
import io.jobway.auth.DynamoApiKeyStore;
import io.jobway.auth.Scopes;
import io.jobway.auth.SigningKeys;
import io.jobway.limits.TenantQuotas;
import io.jobway.aws.Clients;
import io.jobway.aws.Config;
import io.jobway.dlq.DynamoUnclaimedDeadLetters;
import io.jobway.aws.Priming;
import io.jobway.json.Json;
import io.jobway.limits.LimitStore;
import io.jobway.schedule.ScheduleStore;
import io.jobway.events.AuthorizerResponse;
import io.jobway.events.HttpApiRequest;
import io.jobway.notify.CallbackUrlGuard;
import io.jobway.notify.DeliveryLog;
import io.jobway.notify.HookSourceStore;
import io.jobway.notify.WebhookSecretStore;
import io.jobway.obs.Log;
import io.jobway.queue.JobQueues;
import io.jobway.obs.MeasuredJobStore;
import io.jobway.obs.MetricsReader;
import io.jobway.store.DynamoJobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** HTTP API (payload v2) adapter: event in, {@link JobsApi} route, response out. */
public final class ApiFunction implements RequestStreamHandler {
    /** template.yaml's Timeout for this function; its AWS calls are fitted to it (TemplateRulesTest). */
    public static final Duration LAMBDA_TIMEOUT = Duration.ofSeconds(10);
    private static final String PRIMING_JOB_ID = "00000000-0000-7000-8000-000000000000";

    private final JobsApi api;
    /** Held here because CRaC keeps resources weakly; null when built for tests. */
    final Priming priming;

    public ApiFunction() {
        this(Config.fromEnvironment(), Clients.create(Config.fromEnvironment(), LAMBDA_TIMEOUT));
    }

    /** Wired from the environment variables template.yaml declares for ApiFunction. */
    public ApiFunction(Config config, Clients clients) {
        this.api = wire(config, clients);
        this.priming = Priming.register("ApiFunction", clients, primed -> prime(config, primed));
    }

    ApiFunction(JobsApi api) {
        this.api = api;
        this.priming = null;
    }

    /**
     * SnapStart priming: a submit and a read through a throwaway wiring, as event bytes, so the event reading runs
     * too. The submit carries an Idempotency-Key, so it stops at the key's lookup (a DynamoDB request, marshalled
     * and not sent) before a job id is drawn.
     */
    private static void prime(Config config, Clients primed) {
        ApiFunction function = new ApiFunction(wire(config, primed));
        String type = config.require(Config.JOB_TYPES).split(",")[0].trim();
        var context = Priming.context("ApiFunction", LAMBDA_TIMEOUT);
        function.handle(primingEvent("POST /v1/jobs", "/v1/jobs", "{}",
                "{\"type\":\"" + type + "\",\"payload\":{\"priming\":true},\"maxAttempts\":3}"), context);
        function.handle(primingEvent("GET /v1/jobs/{id}", "/v1/jobs/" + PRIMING_JOB_ID,
                "{\"id\":\"" + PRIMING_JOB_ID + "\"}", null), context);
    }

    private static String primingEvent(String routeKey, String path, String pathParameters, String body) {
        return """
                {"version":"2.0","routeKey":"%s","rawPath":"%s","pathParameters":%s,
                 "headers":{"content-type":"application/json","idempotency-key":"snapstart-priming"},
                 "requestContext":{"routeKey":"%s","authorizer":{"lambda":{"%s":"snapstart-priming","%s":"%s"}}},
                 "body":%s,"isBase64Encoded":false}""".formatted(routeKey, path, pathParameters, routeKey,
                AuthorizerResponse.TENANT_ID, AuthorizerResponse.SCOPES, String.join(",", new TreeSet<>(Scopes.DEFAULT)),
                body == null ? "null" : Json.write(body));
    }

    private void handle(String event, Context context) {
        Priming.invoke(this, event.getBytes(StandardCharsets.UTF_8), context);
    }

    private static JobsApi wire(Config config, Clients clients) {
        DynamoDbClient dynamo = clients.dynamo();
        SqsClient sqs = clients.sqs();
        String jobsTable = config.require(Config.JOBS_TABLE);
        String queueUrl = config.require(Config.JOBS_QUEUE_URL);
        Clock clock = clients.clock();
        Set<String> jobTypes = Arrays.stream(config.require(Config.JOB_TYPES).split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        SigningKeys signing = SigningKeys.inTable(dynamo, config.require(Config.SIGNING_KEYS_TABLE), clock);
        Cursors cursors = new Cursors(signing);
        return new JobsApi(
                new MeasuredJobStore(new DynamoJobStore(dynamo, jobsTable, config.require(Config.IDEMPOTENCY_TABLE)),
                        clients.metrics()),
                // The API never writes to the DLQ; it only enqueues.
                JobQueues.fromConfig(sqs, config, queueUrl, null),
                jobTypes,
                CallbackUrlGuard.create(Boolean.parseBoolean(config.require(Config.ALLOW_PRIVATE_CALLBACK_URLS))),
                Duration.ofDays(config.requireInt(Config.JOB_RETENTION_DAYS, 1, 3_650)),
                clock,
                new AwsHealthCheck(dynamo, sqs, jobsTable, queueUrl, clock),
                new WebhooksApi(new WebhookSecretStore(dynamo, config.require(Config.WEBHOOK_SECRETS_TABLE)),
                        new DeliveryLog(dynamo, config.require(Config.DELIVERIES_TABLE)), clock),
                new HooksApi(new HookSourceStore(dynamo, config.require(Config.HOOK_SOURCES_TABLE)), jobTypes, cursors,
                        clock),
                new LimitsApi(new LimitStore(dynamo, config.require(Config.LIMITS_TABLE)), jobTypes, cursors),
                new ScheduleStore(dynamo, config.require(Config.SCHEDULES_TABLE)),
                new DynamoUnclaimedDeadLetters(dynamo, config.require(Config.DEAD_LETTERS_TABLE)),
                new KeysApi(new DynamoApiKeyStore(dynamo, config.require(Config.API_KEYS_TABLE)), clock), cursors,
                new TokensApi(new BrowserTokens(signing), clock),
                new TenantQuotas(dynamo, config.require(Config.LIMITS_TABLE),
                        config.requireInt(Config.TENANT_REQUESTS_PER_MINUTE, 0, 1_000_000_000),
                        config.requireInt(Config.TENANT_JOBS_PER_DAY, 0, 1_000_000_000)),
                stats(config, clients));
    }

    /** GET /v1/stats: the metrics read back (the local runtime's store, else CloudWatch) and the queues' depths. */
    private static StatsApi stats(Config config, Clients clients) {
        MetricsReader reader = clients.metricsReader().orElseGet(() -> new CloudWatchMetricsReader(
                () -> clients.build(CloudWatchClient.builder(), "CLOUDWATCH"), Clients.metricsNamespace(config),
                clients.clock()));
        Map<String, String> queues = new LinkedHashMap<>();
        queues.put("normal", config.require(Config.JOBS_QUEUE_URL));
        queues.put("high", config.require(Config.JOBS_HIGH_QUEUE_URL));
        queues.put("low", config.require(Config.JOBS_LOW_QUEUE_URL));
        queues.put("dead-letter", config.require(Config.DEAD_LETTER_QUEUE_URL));
        queues.put("webhook-dead-letter", config.require(Config.WEBHOOK_DEAD_LETTER_QUEUE_URL));
        return new StatsApi(reader, StatsApi.sqs(clients.sqs(), queues), clients.clock());
    }

    /** One HTTP API payload 2.0 event in, its response out (see {@link io.jobway.lambda} for why bytes). */
    @Override
    public void handleRequest(InputStream event, OutputStream response, Context context) throws IOException {
        try (Log.Scope scope = Log.invocation(context)) {
            HttpApiRequest request;
            try {
                request = HttpApiRequest.read(event);
            } catch (HttpApiRequest.MalformedBody e) {
                ApiProblem.invalid("body", e.getMessage()).toResponse(null).write(response);
                return;
            }
            api.handle(request).write(response);
        }
    }
}
