package io.jobway.local.websocket;

import io.jobway.local.template.CfnResource;
import io.jobway.local.template.CfnTemplate;
import io.jobway.local.template.Intrinsics;
import io.jobway.local.template.PhysicalResource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A WebSocket API as template.yaml declares it: the API, its stage, how a message selects its route, and for
 * each route the function that handles it and whether its answer goes back to the client (a route response).
 */
public record WebSocketApiSpec(String apiLogicalId, String stageLogicalId, String stageName, String selectionField,
                               Map<String, Route> routes) {
    public static final String API_ID = "local-ws";

    public record Route(String routeKey, String functionLogicalId, boolean twoWay) {
    }

    /** The first API with ProtocolType WEBSOCKET, if the template has one. */
    public static Optional<WebSocketApiSpec> from(CfnTemplate template) {
        Optional<CfnResource> api = template.resourcesOfType("AWS::ApiGatewayV2::Api").stream()
                .filter(r -> "WEBSOCKET".equals(String.valueOf(r.property("ProtocolType")))).findFirst();
        if (api.isEmpty()) {
            return Optional.empty();
        }
        String apiId = api.get().logicalId();
        String expression = String.valueOf(api.get().property("RouteSelectionExpression"));
        if (!expression.startsWith("$request.body.")) {
            throw new IllegalArgumentException("the local runtime selects WebSocket routes by a body field only, not '"
                    + expression + "'");
        }
        CfnResource stage = template.resourcesOfType("AWS::ApiGatewayV2::Stage").stream()
                .filter(r -> belongsTo(r, apiId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("WebSocket API " + apiId + " has no stage"));
        Set<String> twoWay = new java.util.HashSet<>();
        template.resourcesOfType("AWS::ApiGatewayV2::RouteResponse").stream().filter(r -> belongsTo(r, apiId))
                .forEach(r -> twoWay.addAll(Intrinsics.references(r.property("RouteId"))));
        Map<String, Route> routes = new LinkedHashMap<>();
        for (CfnResource route : template.resourcesOfType("AWS::ApiGatewayV2::Route")) {
            if (!belongsTo(route, apiId)) {
                continue;
            }
            String integration = single(Intrinsics.references(route.property("Target")), route.logicalId());
            CfnResource target = template.resource(integration).orElseThrow(() -> new IllegalArgumentException(
                    "route " + route.logicalId() + " targets " + integration + ", which the template lacks"));
            String function = functionOf(template, target);
            String key = String.valueOf(route.property("RouteKey"));
            routes.put(key, new Route(key, function, twoWay.contains(route.logicalId())));
        }
        return Optional.of(new WebSocketApiSpec(apiId, stage.logicalId(), String.valueOf(stage.property("StageName")),
                expression.substring("$request.body.".length()), routes));
    }

    /** What Ref gives for the API and its stage, so variables built from them resolve locally. */
    public Optional<PhysicalResource> find(String logicalId) {
        if (logicalId.equals(apiLogicalId)) {
            return Optional.of(new PhysicalResource(logicalId, "AWS::ApiGatewayV2::Api", API_ID,
                    Map.of("ApiId", API_ID, "ApiEndpoint", "ws://127.0.0.1")));
        }
        if (logicalId.equals(stageLogicalId)) {
            return Optional.of(new PhysicalResource(logicalId, "AWS::ApiGatewayV2::Stage", stageName, Map.of()));
        }
        return Optional.empty();
    }

    private static boolean belongsTo(CfnResource resource, String apiId) {
        return Intrinsics.references(resource.property("ApiId")).contains(apiId);
    }

    /** The function an AWS_PROXY integration invokes: its ARN, or the alias SAM generates ({@code <Fn>Alias<name>}). */
    private static String functionOf(CfnTemplate template, CfnResource integration) {
        for (String ref : Intrinsics.references(integration.property("IntegrationUri"))) {
            for (var function : template.functions()) {
                if (ref.equals(function.logicalId()) || ref.startsWith(function.logicalId() + "Alias")) {
                    return function.logicalId();
                }
            }
        }
        throw new IllegalArgumentException("integration " + integration.logicalId() + " invokes no function of this"
                + " template");
    }

    private static String single(Set<String> refs, String owner) {
        if (refs.size() != 1) {
            throw new IllegalArgumentException("route " + owner + " must target one integration, found " + refs);
        }
        return refs.iterator().next();
    }
}
