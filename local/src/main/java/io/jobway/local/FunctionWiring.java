package io.jobway.local;

import io.jobway.aws.Clients;
import io.jobway.aws.Config;
import io.jobway.local.emulator.AwsEndpoints;
import io.jobway.local.lambda.LocalFunction;
import io.jobway.local.metrics.LocalMetrics;
import io.jobway.local.template.FunctionSpec;
import io.jobway.local.template.Intrinsics;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Builds each function as Lambda would: the environment variables template.yaml declares (resolved against
 * the local resources), plus what Lambda itself sets (region, credentials), plus the emulators' endpoints. Public for the
 * lambda-it harness, which runs the packaged functions with the same environment.
 */
public final class FunctionWiring {
    private final Intrinsics intrinsics;
    private final AwsEndpoints endpoints;
    private final URI webSocketManagementEndpoint;
    private final Function<String, List<ExecutionInterceptor>> interceptors;
    private final Map<String, Map<String, String>> extraEnvironment;
    private final Clock clock;

    public FunctionWiring(Intrinsics intrinsics, AwsEndpoints endpoints, URI webSocketManagementEndpoint,
                          Function<String, List<ExecutionInterceptor>> interceptors,
                          Map<String, Map<String, String>> extraEnvironment, Clock clock) {
        this.clock = clock;
        this.extraEnvironment = extraEnvironment;
        this.intrinsics = intrinsics;
        this.endpoints = endpoints;
        this.webSocketManagementEndpoint = webSocketManagementEndpoint;
        this.interceptors = interceptors;
    }

    public Map<String, String> environment(FunctionSpec spec) {
        Map<String, String> env = new HashMap<>(intrinsics.resolveAll(spec.environment()));
        env.put(Config.AWS_REGION, endpoints.region());
        env.put("AWS_LAMBDA_FUNCTION_NAME", spec.logicalId());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(spec.memoryMb()));
        env.put(Config.AWS_ENDPOINT_URL + "_SQS", endpoints.sqs().toString());
        env.put(Config.AWS_ENDPOINT_URL + "_DYNAMODB", endpoints.dynamo().toString());
        env.put(Config.AWS_ENDPOINT_URL + "_DYNAMODB_STREAMS", endpoints.streams().toString());
        env.put(Config.AWS_ENDPOINT_URL + "_APIGATEWAYMANAGEMENTAPI", webSocketManagementEndpoint.toString());
        env.put("AWS_ACCESS_KEY_ID", endpoints.credentials().accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", endpoints.credentials().secretAccessKey());
        env.putAll(extraEnvironment.getOrDefault(spec.logicalId(), Map.of()));
        return env;
    }

    /** The function, its metrics' EMF documents going to {@code metrics} (as Lambda's go to CloudWatch Logs). */
    LocalFunction load(FunctionSpec spec, LocalMetrics metrics) {
        Config config = Config.of(environment(spec));
        return LocalFunction.load(spec.logicalId(), spec.handler(), spec.timeoutSeconds(), spec.memoryMb(), config,
                Clients.create(config, Duration.ofSeconds(spec.timeoutSeconds()),
                        interceptors.apply(spec.logicalId())).withClock(clock).withMetrics(metrics, metrics));
    }
}
