package io.jobway.local.emulator;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Makes sure one SQS queue exists with the given attributes, through plain SQS calls only, so it works the same
 * against ElasticMQ, LocalStack, moto or AWS. An existing queue gets the attributes set again (a changed template
 * takes effect; an unchanged one changes nothing) instead of a CreateQueue, which SQS refuses when attributes differ.
 */
final class QueueCreator {
    private final SqsClient sqs;

    QueueCreator(SqsClient sqs) {
        this.sqs = sqs;
    }

    ResourceRegistry.Queue ensure(String logicalId, String name, Map<QueueAttributeName, String> attributes) {
        String url = existingUrl(name).map(existing -> {
            var settable = new HashMap<>(attributes);
            settable.remove(QueueAttributeName.FIFO_QUEUE); // fixed at creation; SetQueueAttributes refuses it
            if (!settable.isEmpty()) {
                sqs.setQueueAttributes(b -> b.queueUrl(existing).attributes(settable));
            }
            return existing;
        }).orElseGet(() -> sqs.createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl());
        // The ARN as the service reports it: its region and account are the emulator's, not guessed.
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        if (arn == null) {
            throw new IllegalStateException("The SQS endpoint returned no QueueArn for " + url);
        }
        return new ResourceRegistry.Queue(logicalId, name, url, arn);
    }

    private Optional<String> existingUrl(String name) {
        try {
            return Optional.of(sqs.getQueueUrl(b -> b.queueName(name)).queueUrl());
        } catch (QueueDoesNotExistException e) {
            return Optional.empty();
        }
    }
}
