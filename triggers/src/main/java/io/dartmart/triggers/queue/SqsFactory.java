package io.dartmart.triggers.queue;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;

/**
 * The SQS client: real SQS with the default AWS credential chain in production; an endpoint and static credentials
 * when {@code dart.aws.sqs-endpoint} points at a local SQS (ElasticMQ in local mode and tests).
 */
@Factory
public class SqsFactory {
    @Singleton
    @Bean(preDestroy = "close")
    SqsClient sqs(@Value("${dart.aws.region:us-east-1}") String region,
                  @Value("${dart.aws.sqs-endpoint:}") String endpoint,
                  @Value("${dart.aws.access-key-id:}") String accessKey,
                  @Value("${dart.aws.secret-access-key:}") String secretKey) {
        var builder = SqsClient.builder().region(Region.of(region)).httpClientBuilder(Apache5HttpClient.builder());
        if (!endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        builder.credentialsProvider(accessKey.isBlank() ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)));
        return builder.build();
    }
}
