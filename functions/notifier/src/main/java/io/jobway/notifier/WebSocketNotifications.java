package io.jobway.notifier;

import io.jobway.notify.ConnectionStore;
import io.jobway.obs.Log;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;

/**
 * Posts an event to every connection subscribed to the job, to one of its tags or to its tenant, once each however
 * many of those it subscribed to, through the API Gateway Management API. A connection API Gateway reports gone is
 * forgotten; the others still get the event.
 */
final class WebSocketNotifications implements Notifications {
    private final ConnectionStore connections;
    private final ApiGatewayManagementApiClient management;
    private final Clock clock;
    /** Subscriber lookups by subscription (tenant, tenant and job, or tenant and tag); null: look up every time. */
    private final Map<String, CompletableFuture<Set<String>>> lookups;

    WebSocketNotifications(ConnectionStore connections, ApiGatewayManagementApiClient management, Clock clock) {
        this(connections, management, clock, null);
    }

    private WebSocketNotifications(ConnectionStore connections, ApiGatewayManagementApiClient management,
                                   Clock clock, Map<String, CompletableFuture<Set<String>>> lookups) {
        this.connections = connections;
        this.management = management;
        this.clock = clock;
        this.lookups = lookups;
    }

    /** One tenant-wide lookup per tenant, one per job and one per tag for the batch, instead of each per record. */
    @Override
    public Notifications forBatch() {
        return new WebSocketNotifications(connections, management, clock, new ConcurrentHashMap<>());
    }

    @Override
    public void publish(String tenantId, String jobId, List<String> tags, String eventJson) {
        SdkBytes data = SdkBytes.fromUtf8String(eventJson);
        Set<String> targets = new LinkedHashSet<>(subscribers(tenantId, "job", jobId));
        for (String tag : tags) {
            targets.addAll(subscribers(tenantId, "tag", tag));
        }
        targets.addAll(subscribers(tenantId, "all", null));
        for (String connectionId : targets) {
            try {
                management.postToConnection(b -> b.connectionId(connectionId).data(data));
            } catch (GoneException e) {
                connections.disconnect(connectionId);
                Log.info("ws.gone", "connectionId", connectionId);
            }
        }
    }

    /** The subscribers of the tenant's {@code kind} ("job", "tag" or "all") named {@code name}. */
    private Set<String> subscribers(String tenantId, String kind, String name) {
        if (lookups == null) {
            return lookUp(tenantId, kind, name);
        }
        String key = tenantId + "\u0000" + kind + "\u0000" + (name == null ? "" : name);
        CompletableFuture<Set<String>> mine = new CompletableFuture<>();
        CompletableFuture<Set<String>> existing = lookups.putIfAbsent(key, mine);
        if (existing != null) {
            return existing.join();
        }
        try {
            mine.complete(lookUp(tenantId, kind, name));
        } catch (RuntimeException e) {
            lookups.remove(key); // a failed lookup is not remembered: the record is retried
            mine.completeExceptionally(e);
            throw e;
        }
        return mine.join();
    }

    private Set<String> lookUp(String tenantId, String kind, String name) {
        return kind.equals("tag") ? connections.subscribersOfTag(tenantId, name, clock.instant())
                : connections.subscribersOf(tenantId, name, clock.instant());
    }
}
