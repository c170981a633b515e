package io.jobway.notifier;

import io.jobway.notify.ConnectionStore;
import io.jobway.obs.Log;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;

/**
 * Posts an event to every connection subscribed to the job or to its tenant, through the API Gateway
 * Management API. A connection API Gateway reports gone is forgotten; the others still get the event.
 */
final class WebSocketNotifications implements Notifications {
    private final ConnectionStore connections;
    private final ApiGatewayManagementApiClient management;

    WebSocketNotifications(ConnectionStore connections, ApiGatewayManagementApiClient management) {
        this.connections = connections;
        this.management = management;
    }

    @Override
    public void publish(String tenantId, String jobId, String eventJson) {
        SdkBytes data = SdkBytes.fromUtf8String(eventJson);
        for (String connectionId : connections.subscribers(tenantId, jobId)) {
            try {
                management.postToConnection(b -> b.connectionId(connectionId).data(data));
            } catch (GoneException e) {
                connections.disconnect(connectionId);
                Log.info("ws.gone", "connectionId", connectionId);
            }
        }
    }
}
