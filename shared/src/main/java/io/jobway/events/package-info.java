/**
 * Every Lambda event Jobway's functions read and every answer they write, in one place: SQS and DynamoDB stream
 * batches and their partial batch responses, the HTTP API's payload 2.0, the HTTP API authorizer's event and simple
 * response, the WebSocket API's event and answer, and the scheduled event; plus {@link io.jobway.events.BatchProcessor},
 * the one batch fan-out of the SQS and stream functions.
 *
 * <p>The functions take the raw event bytes ({@code RequestStreamHandler}) so that Lambda's runtime never loads its own
 * event serializer (its shaded Jackson and some 700 classes, about a third of a second of a cold start). The classes
 * here read them with the functions' own Jackson into small records of Jobway's, reading what Jobway uses; the tests
 * hold each reader to what that serializer reads from the same bytes.
 */
package io.jobway.events;
