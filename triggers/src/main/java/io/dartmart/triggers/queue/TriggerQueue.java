package io.dartmart.triggers.queue;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The trigger queue: {@code dart.queue.trigger-url}, or the queue named {@code dart.queue.trigger-name}. */
@Singleton
public class TriggerQueue extends SqsQueue {
    public TriggerQueue(SqsClient sqs,
                        @Value("${dart.queue.trigger-url:}") String configuredUrl,
                        @Value("${dart.queue.trigger-name:dart-trigger}") String name,
                        @Value("${dart.queue.create-missing:false}") boolean createMissing) {
        super(sqs, configuredUrl, name, createMissing, "DART_QUEUE_TRIGGER_URL");
    }
}
