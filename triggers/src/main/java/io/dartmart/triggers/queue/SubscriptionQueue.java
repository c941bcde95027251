package io.dartmart.triggers.queue;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The subscription queue, where S3 sends object-created notifications (directly, or through SNS):
 * {@code dart.queue.subscription-url}, or the queue named {@code dart.queue.subscription-name}.
 */
@Singleton
public class SubscriptionQueue extends SqsQueue {
    public SubscriptionQueue(SqsClient sqs,
                             @Value("${dart.queue.subscription-url:}") String configuredUrl,
                             @Value("${dart.queue.subscription-name:dart-subscription}") String name,
                             @Value("${dart.queue.create-missing:false}") boolean createMissing) {
        super(sqs, configuredUrl, name, createMissing, "DART_QUEUE_SUBSCRIPTION_URL");
    }
}
