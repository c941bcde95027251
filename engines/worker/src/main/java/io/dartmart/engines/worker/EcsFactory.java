package io.dartmart.engines.worker;

import io.dartmart.domain.aws.AwsSettings;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Secondary;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.ecs.EcsClient;

/** The ECS client for launching engine tasks; {@code dart.aws.ecs-endpoint} points it elsewhere (tests). */
@Factory
public class EcsFactory {
    @Singleton
    @Secondary
    @Bean(preDestroy = "close")
    EcsClient ecs(AwsSettings aws, @Value("${dart.aws.ecs-endpoint:}") String endpoint) {
        return aws.configure(EcsClient.builder(), endpoint).build();
    }
}
