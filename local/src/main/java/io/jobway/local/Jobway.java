package io.jobway.local;

import io.jobway.auth.ApiKey;
import io.jobway.auth.ApiKeyStore;
import io.jobway.auth.ApiKeys;
import io.jobway.auth.DynamoApiKeyStore;
import io.jobway.auth.Scopes;
import io.jobway.local.chaos.FaultInjector;
import io.jobway.local.chaos.StreamFaults;
import io.jobway.local.emulator.AwsEndpoints;
import io.jobway.local.emulator.EmbeddedDynamo;
import io.jobway.local.emulator.EmbeddedSqs;
import io.jobway.local.emulator.EmulatorClients;
import io.jobway.local.emulator.LocalResources;
import io.jobway.local.emulator.OwnerOnly;
import io.jobway.local.template.CfnTemplate;
import io.jobway.local.template.StackContext;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** The command line of the local runtime: {@code up} and {@code keys}. */
public final class Jobway {
    static final String USAGE = """
            usage: jobway up [--in-memory] [--data-dir DIR] [--port N] [--aws-endpoint URL] [--cloud-url-guard]
                             [--parameter-overrides 'Name=Value ...']
                   jobway keys create --tenant TENANT [--scopes jobs:read,jobs:write,admin | --admin]
                                      [--data-dir DIR | --table API_KEYS_TABLE]
                   jobway keys revoke KEY_ID [--data-dir DIR]
                   jobway keys list --tenant TENANT [--data-dir DIR]
                   jobway submit --type TYPE [--payload JSON] [--max-attempts N] [--timeout S] [--delay S] [--wait]
                   jobway watch JOB_ID
                   (keys create: jobs:read and jobs:write unless --scopes says otherwise; --admin is every scope)
                   (submit and watch: --api URL --ws URL --key KEY, or the running local runtime and
                    JOBWAY_API_KEY / JOBWAY_LOCAL_API_KEY; exit code 0 only when the job succeeded)
                   (--parameter-overrides: template.yaml's parameters, as sam deploy takes them, e.g.
                    WorkerBatchingWindowSeconds=1)
                   (--cloud-url-guard: callback and http job URLs are checked as in AWS, https to public
                    addresses only; without it local receivers on http://127.0.0.1 may be called)
                   (--aws-endpoint, or AWS_ENDPOINT_URL: a running LocalStack or moto instead of the embedded
                    emulators; region AWS_REGION, default us-east-1)
            environment: JOBWAY_PORT (3000), JOBWAY_WS_PORT (JOBWAY_PORT + 1), JOBWAY_SQS_PORT (9324),
                         JOBWAY_DYNAMODB_PORT (8000), JOBWAY_FAULTS (chaos: fail=0.02,throttle=0.01,
                         failAfterWrite=0.01,seed=7 makes AWS calls fail at those rates),
                         JOBWAY_LOCAL_API_KEY (a key for tenant 'local'; generated when unset)""";

    private Jobway() {
    }

    public static void main(String[] args) throws Exception {
        Deque<String> rest = new ArrayDeque<>(List.of(args));
        String command = rest.isEmpty() ? "help" : rest.pop();
        try {
            switch (command) {
                case "up" -> up(rest);
                case "keys" -> keys(rest);
                case "submit", "watch" -> System.exit(io.jobway.local.cli.FollowCommand.run(command, rest));
                default -> {
                    System.out.println(USAGE);
                    System.exit(command.equals("help") || command.equals("--help") ? 0 : 2);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("jobway: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        } catch (java.io.IOException e) {
            System.err.println("jobway: " + e.getMessage());
            System.exit(1);
        } catch (RuntimeException e) {
            System.err.println("jobway: " + e.getMessage());
            e.printStackTrace();
            System.exit(1); // emulator threads must not keep a failed start alive
        }
    }

    /** {@code Name=Value} pairs separated by spaces, as {@code sam deploy --parameter-overrides} takes them. */
    public static Map<String, String> parameterOverrides(String text) {
        Map<String, String> overrides = new java.util.LinkedHashMap<>();
        for (String pair : text.trim().split("\\s+")) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || !pair.substring(0, eq).matches("[A-Za-z0-9]+")) {
                throw new IllegalArgumentException("--parameter-overrides takes Name=Value pairs separated by spaces,"
                        + " e.g. WorkerBatchingWindowSeconds=1; '" + pair + "' is not one");
            }
            overrides.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return overrides;
    }

    /**
     * The chaos knob: with {@code JOBWAY_FAULTS} set (see {@link FaultInjector#parse}), every function's AWS calls
     * fail at those rates, each function with its own random sequence from the seed. Only the worker stalls: a
     * stalled API or notifier would show as slow answers, not as a worker whose lease ran out.
     */
    static java.util.function.Function<String, List<software.amazon.awssdk.core.interceptor.ExecutionInterceptor>>
            faults(FaultInjector.Rates rates) {
        if (rates == null) {
            return name -> List.of();
        }
        return name -> List.of(new FaultInjector(rates.reseeded(rates.seed() * 31 + name.hashCode(),
                name.equals("WorkerFunction"))));
    }

    private static void up(Deque<String> args) throws InterruptedException {
        boolean inMemory = false;
        Path dataDir = Path.of(".jobway");
        int port = envInt("JOBWAY_PORT", 3000);
        String awsEndpoint = System.getenv("AWS_ENDPOINT_URL");
        Map<String, String> parameters = new java.util.LinkedHashMap<>();
        while (!args.isEmpty()) {
            String arg = args.pop();
            switch (arg) {
                case "--in-memory" -> inMemory = true;
                case "--data-dir" -> dataDir = Path.of(value(args, arg));
                case "--port" -> port = Integer.parseInt(value(args, arg));
                case "--aws-endpoint" -> awsEndpoint = value(args, arg);
                case "--parameter-overrides" -> parameters.putAll(parameterOverrides(value(args, arg)));
                case "--cloud-url-guard" -> parameters.put(LocalRuntime.LOCAL_MODE_PARAMETER, "false");
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        boolean external = awsEndpoint != null && !awsEndpoint.isBlank();
        if (external && inMemory) {
            throw new IllegalArgumentException("--in-memory applies to the embedded emulators, not to --aws-endpoint"
                    + " (the emulator there keeps its own data)");
        }
        CfnTemplate.load(Path.of("template.yaml")).parameterValues(parameters); // a wrong override, before anything starts
        String faultSpec = System.getenv("JOBWAY_FAULTS");
        FaultInjector.Rates faults = faultSpec == null || faultSpec.isBlank() ? null : FaultInjector.parse(faultSpec);
        if (faults != null) {
            System.err.println("jobway: JOBWAY_FAULTS is set: faults are injected on purpose (" + faults + ")");
        }
        var options = new LocalRuntime.Options(Path.of("template.yaml"), inMemory ? null : dataDir, port,
                envInt("JOBWAY_WS_PORT", port + 1), envInt("JOBWAY_SQS_PORT", 9324),
                envInt("JOBWAY_DYNAMODB_PORT", 8000), faults(faults), parameters, Map.of(),
                StackContext.LOCAL.stackName(), java.time.Clock.systemUTC(),
                faults == null ? StreamFaults.NONE : StreamFaults.of(faults));
        LocalRuntime runtime = external
                ? LocalRuntime.start(options, AwsEndpoints.external(awsEndpoint, region()))
                : LocalRuntime.start(options);
        String key = System.getenv("JOBWAY_LOCAL_API_KEY");
        boolean generated = key == null || key.isBlank();
        if (generated) {
            key = new ApiKeys().generate();
        }
        runtime.registerKey(key, "local", Scopes.ALL); // the laptop's own key may do everything
        RuntimeFile.write(dataDir, runtime);
        CountDownLatch stopped = new CountDownLatch(1);
        Path runtimeFile = dataDir;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\njobway: stopping (in-flight jobs finish or go back to the queue)...");
            runtime.close();
            RuntimeFile.delete(runtimeFile);
            stopped.countDown();
        }));
        String base = runtime.baseUrl();
        System.out.println("""

                Jobway is running locally
                  HTTP API   %s/v1   (health: %s/v1/health)
                  WebSocket  %s?token=<key>   then send {"action":"subscribe","jobId":"..."}
                  SQS        %s   (%s)
                  DynamoDB   %s   (%s)
                  data       %s
                  API key    %s   (tenant 'local'%s)

                  try: curl -s -X POST %s/v1/jobs -H "Authorization: Bearer $KEY" \\
                         -H 'content-type: application/json' -d '{"type":"echo","payload":{"hello":"world"}}'
                Ctrl-C stops it.""".formatted(base, base,
                runtime.webSocketUrl().map(Object::toString).orElse("(none in template.yaml)"),
                runtime.endpoints().sqs(), runtime.endpoints().describeSqs(),
                runtime.endpoints().dynamo(), runtime.endpoints().describeDynamo(),
                external ? "kept by the emulator at " + awsEndpoint.trim()
                        : inMemory ? "in memory (gone when stopped)" : dataDir.toAbsolutePath(), key,
                generated ? ", generated: set JOBWAY_LOCAL_API_KEY to keep one" : ", from JOBWAY_LOCAL_API_KEY",
                base));
        stopped.await();
    }

    private static void keys(Deque<String> args) {
        String action = args.isEmpty() ? "" : args.pop();
        String tenant = null;
        String keyId = null;
        Set<String> scopes = Scopes.DEFAULT;
        String awsTable = null;
        Path dataDir = Path.of(".jobway");
        while (!args.isEmpty()) {
            String arg = args.pop();
            switch (arg) {
                case "--tenant" -> tenant = value(args, arg);
                case "--admin" -> scopes = Scopes.ALL;
                case "--scopes" -> scopes = Scopes.parse(value(args, arg));
                case "--data-dir" -> dataDir = Path.of(value(args, arg));
                case "--table" -> awsTable = value(args, arg);
                default -> {
                    if (arg.startsWith("--") || keyId != null) {
                        throw new IllegalArgumentException("unknown option " + arg);
                    }
                    keyId = arg;
                }
            }
        }
        String tenantId = tenant;
        String id = keyId;
        Set<String> keyScopes = scopes;
        withKeyStore(dataDir, awsTable, store -> {
            switch (action) {
                case "create" -> {
                    requireTenant(tenantId);
                    String key = new ApiKeys().generate();
                    store.put(new ApiKey(ApiKeys.hash(key), ApiKeys.keyId(key), tenantId,
                            keyScopes, Instant.now(), null));
                    System.out.println(key);
                    System.err.println("created key " + ApiKeys.keyId(key) + " for tenant " + tenantId + " with scopes "
                            + new java.util.TreeSet<>(keyScopes) + " (shown once; only its hash is stored)");
                }
                case "revoke" -> {
                    if (id == null) {
                        throw new IllegalArgumentException("keys revoke needs the KEY_ID (the part after jw_)");
                    }
                    if (!store.revoke(id, Instant.now())) {
                        throw new IllegalArgumentException("no key with id " + id);
                    }
                    System.out.println("revoked " + id);
                }
                case "list" -> {
                    requireTenant(tenantId);
                    store.list(tenantId).forEach(k -> System.out.println(k.keyId() + "  " + k.tenantId() + "  "
                            + (k.active() ? "active" : "revoked " + k.revokedAt()) + "  scopes=" + new java.util.TreeSet<>(Scopes.effective(k.scopes()))
                            + "  lastUsed=" + (k.lastUsedAt() == null ? "never" : k.lastUsedAt())));
                }
                default -> throw new IllegalArgumentException("keys needs create, revoke or list");
            }
        });
    }

    /**
     * With {@code --table}: the deployed stack's ApiKeysTable, with the AWS credentials and region of the
     * environment. Otherwise the running local runtime's DynamoDB, or the data directory opened directly.
     */
    private static void withKeyStore(Path dataDir, String awsTable, java.util.function.Consumer<ApiKeyStore> action) {
        if (awsTable != null) {
            try (var dynamo = software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder()
                    .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build()) {
                action.accept(new DynamoApiKeyStore(dynamo, awsTable));
            }
            return;
        }
        Map<String, String> running = RuntimeFile.readIfRunning(dataDir);
        if (running != null) {
            // the runtime's emulator, embedded or not, is another process's endpoint from here
            try (var dynamo = AwsEndpoints.external(running.get("dynamodb"),
                    running.getOrDefault("region", "us-east-1")).dynamoClient()) {
                action.accept(new DynamoApiKeyStore(dynamo, running.get("apiKeysTable")));
            }
            return;
        }
        OwnerOnly.secure(dataDir);
        try (EmbeddedDynamo dynamoEmulator = EmbeddedDynamo.startPersistent(dataDir.resolve("dynamodb"), 0);
             EmbeddedSqs sqsEmulator = EmbeddedSqs.startPersistent(dataDir.resolve("sqs"), 0);
             var dynamo = EmulatorClients.dynamo(dynamoEmulator.endpoint());
             var sqs = EmulatorClients.sqs(sqsEmulator.endpoint())) {
            var resources = LocalResources.of(CfnTemplate.load(Path.of("template.yaml")), sqs, dynamo).createAll();
            action.accept(new DynamoApiKeyStore(dynamo, resources.table("ApiKeysTable").name()));
        }
    }

    /** The region for an external endpoint: AWS_REGION as the AWS tools read it, us-east-1 when unset. */
    private static String region() {
        String region = System.getenv("AWS_REGION");
        return region == null || region.isBlank() ? "us-east-1" : region.trim();
    }

    private static void requireTenant(String tenant) {
        if (tenant == null || !tenant.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("--tenant must be 1-64 letters, digits, '.', '_' or '-'");
        }
    }

    private static String value(Deque<String> args, String option) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.pop();
    }

    private static int envInt(String name, int fallback) {
        String value = System.getenv(name);
        try {
            return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number, was '" + value + "'");
        }
    }
}
