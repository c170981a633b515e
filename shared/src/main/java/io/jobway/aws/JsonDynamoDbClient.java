package io.jobway.aws;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The DynamoDB client of every function: the item operations (and their paginators, which the interface builds
 * on them), through {@link AwsJsonClient}. Table administration is not here: the interface's other methods throw
 * {@link UnsupportedOperationException}; the local runtime creates tables with the SDK's own client.
 */
final class JsonDynamoDbClient implements DynamoDbClient {
    private final AwsJsonClient client;

    JsonDynamoDbClient(AwsJsonClient client) {
        this.client = client;
    }

    @Override
    public GetItemResponse getItem(GetItemRequest request) {
        return client.call("GetItem", request, GetItemResponse::builder);
    }

    @Override
    public PutItemResponse putItem(PutItemRequest request) {
        return client.call("PutItem", request, PutItemResponse::builder);
    }

    @Override
    public UpdateItemResponse updateItem(UpdateItemRequest request) {
        return client.call("UpdateItem", request, UpdateItemResponse::builder);
    }

    @Override
    public DeleteItemResponse deleteItem(DeleteItemRequest request) {
        return client.call("DeleteItem", request, DeleteItemResponse::builder);
    }

    @Override
    public QueryResponse query(QueryRequest request) {
        return client.call("Query", request, QueryResponse::builder);
    }

    @Override
    public ScanResponse scan(ScanRequest request) {
        return client.call("Scan", request, ScanResponse::builder);
    }

    @Override
    public BatchGetItemResponse batchGetItem(BatchGetItemRequest request) {
        return client.call("BatchGetItem", request, BatchGetItemResponse::builder);
    }

    @Override
    public BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest request) {
        return client.call("BatchWriteItem", request, BatchWriteItemResponse::builder);
    }

    @Override
    public TransactGetItemsResponse transactGetItems(TransactGetItemsRequest request) {
        return client.call("TransactGetItems", request, TransactGetItemsResponse::builder);
    }

    @Override
    public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
        return client.call("TransactWriteItems", request, TransactWriteItemsResponse::builder);
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
