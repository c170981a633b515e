package io.jobway.local;

import io.jobway.auth.ApiKey;
import io.jobway.auth.ApiKeys;
import io.jobway.auth.DynamoApiKeyStore;
import io.jobway.local.emulator.AwsEndpoints;
import io.jobway.local.emulator.LocalResources;
import io.jobway.local.emulator.ResourceRegistry;
import io.jobway.local.http.HttpApiHost;
import io.jobway.local.http.LocalApp;
import io.jobway.local.http.HttpRoute;
import io.jobway.local.metrics.LocalMetrics;
import io.jobway.local.lambda.LocalFunction;
import io.jobway.local.sources.ScheduleEventSource;
import io.jobway.local.sources.SqsEventSource;
import io.jobway.local.sources.StreamEventSource;
import io.jobway.local.template.CfnResource;
import io.jobway.local.template.CfnTemplate;
import io.jobway.local.template.EventSource;
import io.jobway.local.template.FunctionSpec;
import io.jobway.local.template.Intrinsics;
import io.jobway.local.template.ResourceLookup;
import io.jobway.local.template.StackContext;
import io.jobway.local.websocket.WebSocketApiSpec;
import io.jobway.local.websocket.WebSocketApiHost;
import java.net.URI;
import io.jobway.obs.Log;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import io.jobway.local.chaos.StreamFaults;

/**
 * Jobway on one machine: SQS and DynamoDB emulators (embedded, or a LocalStack or moto already running), the
 * template's queues and tables, every function of template.yaml built as Lambda builds it, and its event sources
 * (HTTP API with authorizer, SQS, DynamoDB stream, schedule) driving the real handler classes. Everything it
 * serves binds to 127.0.0.1.
 */
public final class LocalRuntime implements AutoCloseable {
    /** How long in-flight invocations may finish when the runtime stops. */
    static final Duration STOP_GRACE = Duration.ofSeconds(30);
    /** How long requests in progress may finish when the runtime stops: the API function's own timeout. */
    static final Duration HTTP_STOP_GRACE = Duration.ofSeconds(10);
    static final String LOCAL_MODE_PARAMETER = "AllowPrivateCallbackUrls";

    /**
     * @param dataDir where emulator data lives; null keeps everything in memory
     * @param interceptors extra SDK interceptors for a function's clients, by its logical id (tests count the
     *                     AWS calls each function makes with them)
     * @param parameters   template parameter values that replace the defaults
     * @param stackName    prefix of the queues' and tables' names; two runtimes on one external emulator need two
     * @param streamFaults out-of-order and repeated stream records (the chaos soak); {@link StreamFaults#NONE}
     */
    public record Options(Path template, Path dataDir, int httpPort, int webSocketPort, int sqsPort, int dynamoPort,
                          Function<String, List<ExecutionInterceptor>> interceptors, Map<String, String> parameters,
                          Map<String, Map<String, String>> environment, String stackName, Clock clock,
                          StreamFaults streamFaults) {
        public Options {
            parameters = Map.copyOf(parameters);
            environment = Map.copyOf(environment);
        }

        public static Options inMemory(Path template) {
            return new Options(template, null, 0, 0, 0, 0, name -> List.of(), Map.of(), Map.of(),
                    StackContext.LOCAL.stackName(), Clock.systemUTC(), StreamFaults.NONE);
        }

        /** Keeps the emulators' data in {@code directory}, as {@code jobway up} does, instead of in memory. */
        public Options withDataDir(Path directory) {
            return new Options(template, directory, httpPort, webSocketPort, sqsPort, dynamoPort, interceptors,
                    parameters, environment, stackName, clock, streamFaults);
        }

        public Options withInterceptors(Function<String, List<ExecutionInterceptor>> byFunction) {
            return new Options(template, dataDir, httpPort, webSocketPort, sqsPort, dynamoPort, byFunction, parameters,
                    environment, stackName, clock, streamFaults);
        }

        /** Template parameters to set, as {@code sam deploy --parameter-overrides} would. */
        public Options withParameters(Map<String, String> values) {
            return new Options(template, dataDir, httpPort, webSocketPort, sqsPort, dynamoPort, interceptors, values,
                    environment, stackName, clock, streamFaults);
        }

        /**
         * Environment variables to add to or replace in functions, by logical id, as {@code sam local
         * --env-vars} does: settings of your own handlers (an SMTP host) that the template does not declare.
         */
        public Options withEnvironment(Map<String, Map<String, String>> byFunction) {
            return new Options(template, dataDir, httpPort, webSocketPort, sqsPort, dynamoPort, interceptors, parameters,
                    byFunction, stackName, clock, streamFaults);
        }

        /**
         * The clock the functions read the time from. A test hands in an {@link AdjustableClock} and moves it forward
         * to make a delayed job or a schedule due without waiting; the emulators keep real time.
         */
        public Options withClock(Clock functionsClock) {
            return new Options(template, dataDir, httpPort, webSocketPort, sqsPort, dynamoPort, interceptors,
                    parameters, environment, stackName, functionsClock, streamFaults);
        }

        /** The HTTP API's port and the WebSocket API's (0: a free one), as {@code jobway up --port} sets them. */
        public Options withPorts(int http, int webSocket) {
            return new Options(template, dataDir, http, webSocket, sqsPort, dynamoPort, interceptors,
                    parameters, environment, stackName, clock, streamFaults);
        }

        public Options withStackName(String name) {
            return new Options(template, dataDir, httpPort, webSocketPort, sqsPort, dynamoPort, interceptors,
                    parameters, environment, name, clock, streamFaults);
        }
    }

    private final AwsEndpoints endpoints;
    private final SqsClient sqs;
    private final DynamoDbClient dynamo;
    private final ResourceRegistry resources;
    private final Map<String, LocalFunction> functions;
    private final HttpApiHost http;
    private final WebSocketApiHost webSocket;
    private final List<SqsEventSource> queueSources;
    private final List<StreamEventSource> streamSources;
    private final List<ScheduleEventSource> schedules;
    private final Intrinsics intrinsics;
    private final LocalMetrics metrics;

    private LocalRuntime(Options options, AwsEndpoints endpoints, Instant started) throws IOException {
        this.endpoints = endpoints;
        metrics = new LocalMetrics(Clock.systemUTC()); // EMF documents carry the wall clock's time, as on Lambda
        sqs = endpoints.sqsClient();
        dynamo = endpoints.dynamoClient();
        StackContext stack = new StackContext(options.stackName(), endpoints.region(), StackContext.LOCAL.accountId());
        CfnTemplate template = CfnTemplate.load(options.template());
        // the local runtime is local mode: callbacks may reach receivers on this machine
        Map<String, String> overrides = new java.util.HashMap<>(options.parameters());
        if (template.parameterDefaults().containsKey(LOCAL_MODE_PARAMETER)) {
            overrides.putIfAbsent(LOCAL_MODE_PARAMETER, "true");
        }
        Map<String, String> parameters = template.parameterValues(overrides);
        resources = new LocalResources(template, parameters, stack, sqs, dynamo).createAll();
        if (endpoints.isEmbedded() && options.dataDir() != null) {
            RestartRecovery.releaseLeases(dynamo, resources.table("JobsTable").name(), Instant.now());
        }
        http = new HttpApiHost(options.httpPort());
        Optional<WebSocketApiSpec> webSocketSpec = WebSocketApiSpec.from(template);
        ResourceLookup lookup = id -> resources.find(id).or(() -> webSocketSpec.flatMap(ws -> ws.find(id)));
        intrinsics = new Intrinsics(parameters, stack, lookup);
        FunctionWiring wiring = new FunctionWiring(intrinsics, endpoints,
                URI.create(baseUrl(http.managementPort()) + webSocketSpec.map(ws -> "/" + ws.stageName()).orElse("")),
                options.interceptors(), options.environment(), options.clock());
        functions = new LinkedHashMap<>();
        for (FunctionSpec spec : template.functions()) {
            functions.put(spec.logicalId(), wiring.load(spec, metrics));
        }
        webSocket = webSocketSpec.map(ws -> new WebSocketApiHost(options.webSocketPort(), ws, functions))
                .orElse(null);
        queueSources = new ArrayList<>();
        streamSources = new ArrayList<>();
        schedules = new ArrayList<>();
        for (FunctionSpec spec : template.functions()) {
            LocalFunction function = functions.get(spec.logicalId());
            spec.sqsEvents().forEach(e -> queueSources.add(sqsSource(e, function)));
            spec.dynamoDbEvents().forEach(e -> streamSources.add(streamSource(e, function, options)));
            spec.scheduleEvents().forEach(e -> schedules.add(new ScheduleEventSource(
                    e.property("Schedule").toString(), spec.logicalId() + "-" + e.name(), function)));
        }
        streamSources.forEach(StreamEventSource::start);
        queueSources.forEach(SqsEventSource::start);
        schedules.forEach(ScheduleEventSource::start);
        if (webSocket != null) {
            try {
                webSocket.start();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the WebSocket API", e);
            }
        }
        http.serveDashboard(webSocketUrl().orElse(null));
        startHttpApi(template);
        Log.info("local.started", "httpPort", http.port(), "sqs", endpoints.sqs(), "dynamodb", endpoints.dynamo(),
                "region", endpoints.region(), "dataDir", !endpoints.isEmbedded() ? "external"
                        : options.dataDir() != null ? options.dataDir() : "in-memory",
                "startMs", Duration.between(started, Instant.now()).toMillis());
    }

    /** Starts the embedded emulators (in {@code options.dataDir()}, or in memory) and the runtime on them. */
    public static LocalRuntime start(Options options) {
        Instant started = Instant.now(); // startMs counts the emulators' start too
        return start(options, AwsEndpoints.embedded(options.dataDir(), options.sqsPort(), options.dynamoPort()),
                started);
    }

    /**
     * Starts the runtime against {@code endpoints}, which it then owns: {@link #close()} closes them (stopping
     * embedded emulators, leaving an external one running). On any failure it closes them too: emulator threads
     * would keep the JVM up.
     */
    public static LocalRuntime start(Options options, AwsEndpoints endpoints) {
        return start(options, endpoints, Instant.now());
    }

    private static LocalRuntime start(Options options, AwsEndpoints endpoints, Instant started) {
        try {
            return new LocalRuntime(options, endpoints, started);
        } catch (IOException | RuntimeException e) {
            endpoints.close();
            throw new IllegalStateException("could not start the local runtime: " + e.getMessage(), e);
        }
    }

    private void startHttpApi(CfnTemplate template) {
        List<HttpRoute> routes = new ArrayList<>();
        LocalFunction authorizer = null;
        Duration authorizerTtl = Duration.ZERO;
        for (FunctionSpec spec : template.functions()) {
            for (EventSource event : spec.httpApiEvents()) {
                Object auth = TemplateRefs.map(event.property("Auth")).get("Authorizer");
                routes.add(new HttpRoute(event.property("Method").toString().toUpperCase(java.util.Locale.ROOT),
                        event.property("Path").toString(), functions.get(spec.logicalId()), !"NONE".equals(auth)));
            }
        }
        for (CfnResource api : template.resourcesOfType("AWS::Serverless::HttpApi")) {
            Map<String, Object> auth = TemplateRefs.map(api.property("Auth"));
            Object defaultName = auth.get("DefaultAuthorizer");
            if (defaultName != null) {
                Map<String, Object> definition = TemplateRefs.map(TemplateRefs.map(auth.get("Authorizers"))
                        .get(defaultName.toString()));
                // the authorizer may be named through its SnapStart alias, as in AWS
                String target = TemplateRefs.logicalId(definition.get("FunctionArn"));
                authorizer = functions.get(template.invokedFunction(target).orElseThrow(() ->
                        new IllegalArgumentException("authorizer " + defaultName + " invokes " + target
                                + ", which is no function of the template")));
                authorizerTtl = Duration.ofSeconds(number(
                        TemplateRefs.map(definition.get("Identity")).get("ReauthorizeEvery"), 0));
            }
        }
        // Longer routes first, so /v1/jobs/{id}/cancel is never taken for /v1/jobs/{id}.
        routes.sort((a, b) -> b.pathTemplate().length() - a.pathTemplate().length());
        WebSocketApiHost ws = webSocket;
        http.start(routes, authorizer, authorizerTtl, ws == null ? null : new HttpApiHost.Connections() {
            @Override
            public boolean post(String connectionId, String data) {
                return ws.post(connectionId, data);
            }

            @Override
            public boolean close(String connectionId) {
                return ws.close(connectionId);
            }
        });
    }

    /** A number from the template, which may name a parameter ({@code !Ref}), as SAM resolves it at deploy. */
    private int number(Object value, int fallback) {
        return value == null ? fallback : Integer.parseInt(intrinsics.resolve(value));
    }

    private SqsEventSource sqsSource(EventSource event, LocalFunction function) {
        ResourceRegistry.Queue queue = resources.queue(TemplateRefs.logicalId(event.property("Queue")));
        int maxConcurrency = number(TemplateRefs.map(event.property("ScalingConfig"))
                .get("MaximumConcurrency"), 5);
        return new SqsEventSource(sqs, queue.url(), queue.arn(), number(event.property("BatchSize"), 10),
                Duration.ofSeconds(number(event.property("MaximumBatchingWindowInSeconds"), 0)),
                maxConcurrency, function);
    }

    /** A stream mapping; on a data directory it keeps its place there, so a restart misses no change. */
    private StreamEventSource streamSource(EventSource event, LocalFunction function, Options options) {
        Path dataDir = options.dataDir();
        ResourceRegistry.Table table = resources.table(TemplateRefs.logicalId(event.property("Stream")));
        Object destination = TemplateRefs.map(TemplateRefs.map(event.property("DestinationConfig")).get("OnFailure"))
                .get("Destination");
        String onFailureUrl = destination == null ? null
                : resources.queue(TemplateRefs.logicalId(destination)).url();
        return new StreamEventSource(endpoints.streamsClient(), sqs,
                table.streamArn().orElseThrow(() -> new IllegalStateException("table " + table.logicalId()
                        + " has no stream, but " + function.name() + " reads one")),
                number(event.property("BatchSize"), 100),
                number(event.property("ParallelizationFactor"), 1),
                Boolean.parseBoolean(String.valueOf(event.property("BisectBatchOnFunctionError"))),
                number(event.property("MaximumRetryAttempts"), 10_000), onFailureUrl, function,
                endpoints.tableWrites().orElse(null), dataDir == null ? null
                        : dataDir.resolve("stream-checkpoints").resolve(function.name() + "-" + table.logicalId() + ".json"),
                options.streamFaults());
    }

    /** Registers an API key for a tenant (only its hash is stored). */
    public void registerKey(String key, String tenantId, Set<String> scopes) {
        apiKeys().put(new ApiKey(ApiKeys.hash(key), ApiKeys.keyId(key), tenantId, scopes, Instant.now(), null));
    }

    public DynamoApiKeyStore apiKeys() {
        return new DynamoApiKeyStore(dynamo, resources.table("ApiKeysTable").name());
    }

    /** Serves an app of one's own (a page and its backend stand-in) under {@code prefix}, beside the API. */
    public void serve(String prefix, LocalApp app) {
        http.serveApp(prefix, app);
    }

    public int httpPort() {
        return http.port();
    }

    public String baseUrl() {
        return baseUrl(http.port());
    }

    private static String baseUrl(int port) {
        return "http://127.0.0.1:" + port;
    }

    /** The WebSocket API's URL (connect with {@code ?token=<api key>}), if the template declares one. */
    public Optional<URI> webSocketUrl() {
        return Optional.ofNullable(webSocket).map(WebSocketApiHost::url);
    }

    public ResourceRegistry resources() {
        return resources;
    }

    /** The metrics the functions emitted in the last hour, as CloudWatch would hold them. */
    public LocalMetrics metrics() {
        return metrics;
    }

    public SqsClient sqs() {
        return sqs;
    }

    public DynamoDbClient dynamo() {
        return dynamo;
    }

    /** The SQS and DynamoDB endpoints this runtime works against, with their region and credentials. */
    public AwsEndpoints endpoints() {
        return endpoints;
    }

    /** Every function of the template, by logical id, in the template's order. */
    public Map<String, LocalFunction> functions() {
        return java.util.Collections.unmodifiableMap(functions);
    }

    public LocalFunction function(String logicalId) {
        return functions.get(logicalId);
    }

    /**
     * Keeps every schedule's timer from firing until closed (a run in progress ends first); {@link #fireSchedules}
     * still runs them. A test that inspects the dead-letter queue holds them: a sweep that read the queue meanwhile
     * would rest the message it looks for out of sight for 10 minutes.
     */
    public ScheduleEventSource.Hold holdSchedules() {
        List<ScheduleEventSource.Hold> held = schedules.stream().map(ScheduleEventSource::hold).toList();
        return () -> held.forEach(ScheduleEventSource.Hold::close);
    }

    /** Runs every schedule once now (what the one-minute timer does), for tests and `./jobway sweep`. */
    public void fireSchedules() {
        schedules.forEach(ScheduleEventSource::fire);
    }

    /**
     * Stops cleanly: no new requests or messages; invocations in progress finish (or their messages go back to
     * the queue at once); pending stream records are delivered; then the emulators stop with their data.
     */
    @Override
    public void close() {
        try {
            http.stop(HTTP_STOP_GRACE);
            if (webSocket != null) {
                webSocket.stop();
            }
            for (ScheduleEventSource schedule : schedules) {
                schedule.stop(STOP_GRACE);
            }
            for (SqsEventSource source : queueSources) {
                source.stop(STOP_GRACE);
            }
            Thread.sleep(Duration.ofMillis(500)); // let the stream poller deliver the last changes
            for (StreamEventSource source : streamSources) {
                source.stop(Duration.ofSeconds(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            sqs.close();
            dynamo.close();
            endpoints.close();
            Log.info("local.stopped");
        }
    }
}
