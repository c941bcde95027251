package io.dartmart.triggers.queue;

import io.dartmart.domain.aws.AwsSettings;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The SQS client: real SQS in production, {@code dart.aws.sqs-endpoint} when set (ElasticMQ locally and in tests). */
@Factory
public class SqsFactory {
    @Singleton
    @Bean(preDestroy = "close")
    SqsClient sqs(AwsSettings aws, @Value("${dart.aws.sqs-endpoint:}") String endpoint) {
        return aws.configure(SqsClient.builder(), endpoint).build();
    }
}
