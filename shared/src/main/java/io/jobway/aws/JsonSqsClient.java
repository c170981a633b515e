package io.jobway.aws;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityRequest;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageResponse;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

/**
 * The SQS client of every function: the message operations and queue attributes, through {@link AwsJsonClient}
 * (SQS speaks the AWS JSON protocol, as the SDK's own client does since 2.21). Queue administration is not here:
 * the interface's other methods throw {@link UnsupportedOperationException}. Unlike the SDK's client it does not
 * compare the MD5 digests SQS returns of message bodies: TLS already guards the bytes in transit.
 */
final class JsonSqsClient implements SqsClient {
    private final AwsJsonClient client;

    JsonSqsClient(AwsJsonClient client) {
        this.client = client;
    }

    @Override
    public SendMessageResponse sendMessage(SendMessageRequest request) {
        return client.call("SendMessage", request, SendMessageResponse::builder);
    }

    @Override
    public SendMessageBatchResponse sendMessageBatch(SendMessageBatchRequest request) {
        return client.call("SendMessageBatch", request, SendMessageBatchResponse::builder);
    }

    @Override
    public ReceiveMessageResponse receiveMessage(ReceiveMessageRequest request) {
        return client.call("ReceiveMessage", request, ReceiveMessageResponse::builder);
    }

    @Override
    public DeleteMessageResponse deleteMessage(DeleteMessageRequest request) {
        return client.call("DeleteMessage", request, DeleteMessageResponse::builder);
    }

    @Override
    public DeleteMessageBatchResponse deleteMessageBatch(DeleteMessageBatchRequest request) {
        return client.call("DeleteMessageBatch", request, DeleteMessageBatchResponse::builder);
    }

    @Override
    public ChangeMessageVisibilityResponse changeMessageVisibility(ChangeMessageVisibilityRequest request) {
        return client.call("ChangeMessageVisibility", request, ChangeMessageVisibilityResponse::builder);
    }

    @Override
    public GetQueueAttributesResponse getQueueAttributes(GetQueueAttributesRequest request) {
        return client.call("GetQueueAttributes", request, GetQueueAttributesResponse::builder);
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
        // the HTTP client belongs to Clients, which shares it between services
    }
}
