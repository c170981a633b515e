package io.jobway.packaging;

import io.jobway.local.template.CfnResource;
import io.jobway.local.template.CfnTemplate;
import io.jobway.local.template.EventSource;
import io.jobway.local.template.FunctionSpec;
import io.jobway.local.template.Intrinsics;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Settings of template.yaml that deploy without complaint and break production silently when wrong. Each rule
 * returns what is wrong (empty when nothing is), so the test of the real template and the tests that feed a
 * broken snippet run the same code.
 */
final class TemplateRules {
    static final String QUEUE = "AWS::SQS::Queue";
    /** Lambda's advice for SQS event sources: the queue hides a message at least 6 x the function's timeout. */
    static final int VISIBILITY_FACTOR = 6;
    /** SQS's default when a queue sets no VisibilityTimeout. */
    static final int DEFAULT_VISIBILITY_SECONDS = 30;
    private static final Set<String> STREAM_EVENTS = Set.of("DynamoDB", "Kinesis");
    private static final Set<String> BATCH_EVENTS = Set.of("SQS", "DynamoDB", "Kinesis");

    /** Variables Lambda sets itself (reserved: a template may not declare them). */
    static final Set<String> LAMBDA_SETS = Set.of("_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION",
            "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
            "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME",
            "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR", "TZ");
    /** Variables declared for the JVM or the runtime rather than for the function's code. */
    static final Set<String> READ_BY_RUNTIME = Set.of("JAVA_TOOL_OPTIONS", "AWS_LAMBDA_EXEC_WRAPPER");

    private final CfnTemplate template;

    TemplateRules(CfnTemplate template) {
        this.template = template;
    }

    /** Without ReportBatchItemFailures, one failed record makes Lambda retry (or drop) the whole batch. */
    List<String> batchItemFailures() {
        var problems = new ArrayList<String>();
        forEachEvent(BATCH_EVENTS, (function, event) -> {
            Object types = event.property("FunctionResponseTypes");
            if (!(types instanceof List<?> list) || !list.contains("ReportBatchItemFailures")) {
                problems.add(function.logicalId() + "." + event.name() + " (" + event.type()
                        + ") lacks FunctionResponseTypes: [ReportBatchItemFailures]");
            }
        });
        return problems;
    }

    /** A queue that hides a message for less than 6 x its consumer's timeout hands it to a second consumer. */
    List<String> visibilityTimeouts() {
        var problems = new ArrayList<String>();
        forEachEvent(Set.of("SQS"), (function, event) -> {
            String queueId = single(Intrinsics.references(event.property("Queue")), function, event);
            Optional<CfnResource> queue = template.resource(queueId).filter(r -> r.type().equals(QUEUE));
            if (queue.isEmpty()) {
                problems.add(function.logicalId() + "." + event.name() + " reads " + queueId
                        + ", which is no queue of this template");
                return;
            }
            int visibility = number(queue.get().property("VisibilityTimeout"), DEFAULT_VISIBILITY_SECONDS);
            int needed = VISIBILITY_FACTOR * function.timeoutSeconds();
            if (visibility < needed) {
                problems.add(queueId + " VisibilityTimeout is " + visibility + " s; " + function.logicalId()
                        + " consumes it with a " + function.timeoutSeconds() + " s timeout, so it needs >= " + needed + " s");
            }
        });
        return problems;
    }

    /**
     * Every queue that is not itself a dead-letter queue has a RedrivePolicy with a target and a receive limit. A
     * queue is a dead-letter queue when another queue's RedrivePolicy or an event source's on-failure destination
     * names it: the template's own wiring says so, not its name.
     */
    List<String> redrivePolicies() {
        Set<String> deadLetterQueues = deadLetterQueues();
        var problems = new ArrayList<String>();
        for (CfnResource queue : template.resourcesOfType(QUEUE)) {
            if (deadLetterQueues.contains(queue.logicalId())) {
                continue;
            }
            Object policy = queue.property("RedrivePolicy");
            if (!(policy instanceof Map<?, ?> redrive) || redrive.get("deadLetterTargetArn") == null
                    || redrive.get("maxReceiveCount") == null) {
                problems.add(queue.logicalId() + " has no RedrivePolicy with deadLetterTargetArn and maxReceiveCount: a"
                        + " message that always fails would be received forever, until its retention ends");
            }
        }
        return problems;
    }

    /** A stream mapping without a retry limit and an on-failure destination blocks its shard for up to a day. */
    List<String> streamFailureHandling() {
        var problems = new ArrayList<String>();
        forEachEvent(STREAM_EVENTS, (function, event) -> {
            String where = function.logicalId() + "." + event.name() + " (" + event.type() + ")";
            int retries = number(event.property("MaximumRetryAttempts"), -1);
            if (retries < 0) {
                problems.add(where + " sets no MaximumRetryAttempts (the default, -1, retries until the record expires)");
            }
            Object onFailure = map(map(event.property("DestinationConfig")).get("OnFailure")).get("Destination");
            if (onFailure == null) {
                problems.add(where + " has no DestinationConfig.OnFailure.Destination: a record that keeps failing is"
                        + " dropped without a trace");
            }
        });
        return problems;
    }

    /**
     * Every function publishes versions behind an alias with SnapStart on, and everything that invokes a function
     * (authorizers, integrations, permissions) names that alias: the bare function runs $LATEST, never a snapshot.
     */
    List<String> snapStart() {
        var problems = new ArrayList<String>();
        for (FunctionSpec function : template.functions()) {
            String id = function.logicalId();
            Object snapStart = map(template.functionProperty(id, "SnapStart")).get("ApplyOn");
            if (!"PublishedVersions".equals(snapStart)) {
                problems.add(id + " has no SnapStart: {ApplyOn: PublishedVersions} (its own or from Globals)");
            }
            Object alias = template.functionProperty(id, "AutoPublishAlias");
            if (!(alias instanceof String name) || name.isBlank()) {
                problems.add(id + " has no AutoPublishAlias: SnapStart applies only to published versions");
            }
        }
        invocations().forEach((where, target) -> {
            boolean bareFunction = template.resource(target).map(r -> r.type().equals(CfnTemplate.SERVERLESS_FUNCTION))
                    .orElse(false);
            if (bareFunction) {
                problems.add(where + " invokes " + target + " itself, which runs $LATEST without SnapStart; name its"
                        + " alias " + target + "Alias" + template.functionProperty(target, "AutoPublishAlias"));
            }
        });
        return problems;
    }

    /**
     * Each function declares every variable its code requires (a missing one stops it at start, in production
     * only), and no variable its code never reads (a leftover that misleads whoever changes it).
     */
    List<String> environment(EnvironmentReads code) {
        var problems = new ArrayList<String>();
        for (FunctionSpec function : template.functions()) {
            String handlerClass = function.handler().split("::")[0];
            EnvironmentReads.Reads reads = code.of(handlerClass);
            Set<String> declared = function.environment().keySet();
            for (String name : reads.required()) {
                if (!declared.contains(name) && !LAMBDA_SETS.contains(name)) {
                    problems.add(function.logicalId() + " (" + handlerClass + ") reads " + name
                            + ", which the template does not declare for it");
                }
            }
            for (String name : declared) {
                if (!reads.all().contains(name) && !READ_BY_RUNTIME.contains(name)) {
                    problems.add(function.logicalId() + " declares " + name + ", which " + handlerClass
                            + " and the code it uses never read");
                }
            }
        }
        return problems;
    }

    /** Where a resource names a function to invoke, and the logical id it names there. */
    private Map<String, String> invocations() {
        var found = new java.util.LinkedHashMap<String, String>();
        for (CfnResource resource : template.resources().values()) {
            String id = resource.logicalId();
            switch (resource.type()) {
                case "AWS::Serverless::HttpApi", "AWS::Serverless::Api" ->
                        map(map(resource.property("Auth")).get("Authorizers")).forEach((name, authorizer) ->
                                Intrinsics.references(map(authorizer).get("FunctionArn")).forEach(target ->
                                        found.put(id + ".Auth.Authorizers." + name, target)));
                case "AWS::ApiGatewayV2::Integration" ->
                        Intrinsics.references(resource.property("IntegrationUri")).forEach(target ->
                                found.put(id + ".IntegrationUri", target));
                case "AWS::Lambda::Permission", "AWS::Lambda::EventSourceMapping" ->
                        Intrinsics.references(resource.property("FunctionName")).forEach(target ->
                                found.put(id + ".FunctionName", target));
                default -> {
                }
            }
        }
        return found;
    }

    Set<String> deadLetterQueues() {
        var queues = new LinkedHashSet<String>();
        for (CfnResource queue : template.resourcesOfType(QUEUE)) {
            queues.addAll(Intrinsics.references(map(queue.property("RedrivePolicy")).get("deadLetterTargetArn")));
        }
        forEachEvent(BATCH_EVENTS, (function, event) -> queues.addAll(Intrinsics.references(
                map(map(event.property("DestinationConfig")).get("OnFailure")).get("Destination"))));
        return queues;
    }

    private void forEachEvent(Set<String> types, java.util.function.BiConsumer<FunctionSpec, EventSource> action) {
        for (FunctionSpec function : template.functions()) {
            function.events().values().stream().filter(event -> types.contains(event.type()))
                    .forEach(event -> action.accept(function, event));
        }
    }

    private static String single(Set<String> references, FunctionSpec function, EventSource event) {
        if (references.size() != 1) {
            throw new IllegalArgumentException(function.logicalId() + "." + event.name() + " must name one queue, names "
                    + references);
        }
        return references.iterator().next();
    }

    private static int number(Object value, int fallback) {
        return value == null ? fallback : Integer.parseInt(value.toString().trim());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
