package io.jobway.local;

import io.jobway.aws.Clients;
import io.jobway.aws.Config;
import io.jobway.local.lambda.LambdaEvents;
import io.jobway.local.lambda.LocalFunction;
import io.jobway.local.template.FunctionSpec;
import io.jobway.local.template.Intrinsics;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Builds each function as Lambda would: the environment variables template.yaml declares (resolved against
 * the local resources), plus what Lambda itself sets, plus the endpoints of the emulators. Public for the
 * lambda-it harness, which runs the packaged functions with the same environment.
 */
public final class FunctionWiring {
    private final Intrinsics intrinsics;
    private final URI sqsEndpoint;
    private final URI dynamoEndpoint;
    private final URI webSocketManagementEndpoint;
    private final Function<String, List<ExecutionInterceptor>> interceptors;
    private final Map<String, Map<String, String>> extraEnvironment;

    public FunctionWiring(Intrinsics intrinsics, URI sqsEndpoint, URI dynamoEndpoint, URI webSocketManagementEndpoint,
                   Function<String, List<ExecutionInterceptor>> interceptors,
                   Map<String, Map<String, String>> extraEnvironment) {
        this.extraEnvironment = extraEnvironment;
        this.intrinsics = intrinsics;
        this.sqsEndpoint = sqsEndpoint;
        this.dynamoEndpoint = dynamoEndpoint;
        this.webSocketManagementEndpoint = webSocketManagementEndpoint;
        this.interceptors = interceptors;
    }

    public Map<String, String> environment(FunctionSpec spec) {
        Map<String, String> env = new HashMap<>(intrinsics.resolveAll(spec.environment()));
        env.put(Config.AWS_REGION, LambdaEvents.REGION);
        env.put("AWS_LAMBDA_FUNCTION_NAME", spec.logicalId());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(spec.memoryMb()));
        env.put(Config.AWS_ENDPOINT_URL + "_SQS", sqsEndpoint.toString());
        env.put(Config.AWS_ENDPOINT_URL + "_DYNAMODB", dynamoEndpoint.toString());
        env.put(Config.AWS_ENDPOINT_URL + "_DYNAMODB_STREAMS", dynamoEndpoint.toString());
        env.put(Config.AWS_ENDPOINT_URL + "_APIGATEWAYMANAGEMENTAPI", webSocketManagementEndpoint.toString());
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.putAll(extraEnvironment.getOrDefault(spec.logicalId(), Map.of()));
        return env;
    }

    LocalFunction load(FunctionSpec spec) {
        Config config = Config.of(environment(spec));
        return LocalFunction.load(spec.logicalId(), spec.handler(), spec.timeoutSeconds(), spec.memoryMb(), config,
                Clients.create(config, interceptors.apply(spec.logicalId())));
    }
}
