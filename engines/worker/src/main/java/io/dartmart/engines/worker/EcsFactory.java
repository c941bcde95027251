package io.dartmart.engines.worker;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Secondary;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;

import java.net.URI;

/** The ECS client for launching engine tasks; {@code dart.aws.ecs-endpoint} points it elsewhere (tests). */
@Factory
public class EcsFactory {
    @Singleton
    @Secondary
    @Bean(preDestroy = "close")
    EcsClient ecs(@Value("${dart.aws.region:us-east-1}") String region,
                  @Value("${dart.aws.ecs-endpoint:}") String endpoint,
                  @Value("${dart.aws.access-key-id:}") String accessKey,
                  @Value("${dart.aws.secret-access-key:}") String secretKey) {
        var builder = EcsClient.builder().region(Region.of(region)).httpClientBuilder(Apache5HttpClient.builder());
        if (!endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        builder.credentialsProvider(accessKey.isBlank() ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)));
        return builder.build();
    }
}
