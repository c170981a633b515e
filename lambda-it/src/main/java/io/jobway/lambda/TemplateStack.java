package io.jobway.lambda;

import io.jobway.local.FunctionWiring;
import io.jobway.local.emulator.AwsEndpoints;
import io.jobway.local.emulator.LocalResources;
import io.jobway.local.emulator.ResourceRegistry;
import io.jobway.local.template.CfnTemplate;
import io.jobway.local.template.FunctionSpec;
import io.jobway.local.template.Intrinsics;
import io.jobway.local.template.ResourceLookup;
import io.jobway.local.template.StackContext;
import io.jobway.local.websocket.WebSocketApiSpec;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * template.yaml's queues and tables on the embedded emulators (in memory), and each of its functions as a
 * {@link FunctionPackage}: the code at its CodeUri, its Handler, MemorySize and Timeout, and the environment
 * the template declares, resolved by the local runtime's own {@link FunctionWiring} (so it is the template's,
 * not a copy), pointed at these emulators. Parameters keep their deploy defaults.
 */
public final class TemplateStack implements AutoCloseable {
    private final Path root;
    private final CfnTemplate template;
    private final AwsEndpoints emulators;
    private final SqsClient sqs;
    private final DynamoDbClient dynamo;
    private final ResourceRegistry resources;
    private final FunctionWiring wiring;

    private TemplateStack(Path root, AwsEndpoints emulators, URI webSocketManagement) {
        this.root = root;
        this.template = CfnTemplate.load(root.resolve("template.yaml"));
        this.emulators = emulators;
        this.sqs = emulators.sqsClient();
        this.dynamo = emulators.dynamoClient();
        this.resources = LocalResources.of(template, sqs, dynamo).createAll();
        var webSocket = WebSocketApiSpec.from(template);
        ResourceLookup lookup = id -> resources.find(id).or(() -> webSocket.flatMap(ws -> ws.find(id)));
        this.wiring = new FunctionWiring(new Intrinsics(template.parameterDefaults(), StackContext.LOCAL, lookup),
                emulators, webSocketManagement, function -> List.of(), java.util.Map.of(), java.time.Clock.systemUTC());
    }

    /**
     * @param webSocketManagement where the functions' API Gateway Management API calls go (the WebSocket stage's
     *                            URL, e.g. a test's receiver)
     */
    public static TemplateStack start(Path projectRoot, URI webSocketManagement) {
        AwsEndpoints emulators = AwsEndpoints.embedded(null, 0, 0);
        try {
            return new TemplateStack(projectRoot, emulators, webSocketManagement);
        } catch (RuntimeException e) {
            emulators.close();
            throw e;
        }
    }

    /** The directory of template.yaml and events/, found from the working directory upwards. */
    public static Path projectRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("template.yaml")) && Files.isDirectory(dir.resolve("events"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no template.yaml with events/ beside it above " + Path.of("").toAbsolutePath());
    }

    /** Every function of the template, by logical id, in template order. */
    public List<String> functionNames() {
        return template.functions().stream().map(FunctionSpec::logicalId).toList();
    }

    public FunctionPackage function(String logicalId) {
        FunctionSpec spec = template.function(logicalId);
        Object codeUri = template.resource(logicalId).orElseThrow().property("CodeUri");
        if (!(codeUri instanceof String path)) {
            throw new IllegalArgumentException(logicalId + " has no CodeUri path in template.yaml: " + codeUri);
        }
        return new FunctionPackage(logicalId, root.resolve(path), spec.handler(), wiring.environment(spec),
                spec.memoryMb(), spec.timeoutSeconds());
    }

    public ResourceRegistry resources() {
        return resources;
    }

    public SqsClient sqs() {
        return sqs;
    }

    public DynamoDbClient dynamo() {
        return dynamo;
    }

    @Override
    public void close() {
        sqs.close();
        dynamo.close();
        emulators.close();
    }
}
