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
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;

/** The S3 client; with {@code dart.aws.s3-endpoint} (local mode, tests) it uses that endpoint, path-style. */
@Factory
public class S3Factory {
    @Singleton
    @Secondary
    @Bean(preDestroy = "close")
    S3Client s3(@Value("${dart.aws.region:us-east-1}") String region,
                @Value("${dart.aws.s3-endpoint:}") String endpoint,
                @Value("${dart.aws.access-key-id:}") String accessKey,
                @Value("${dart.aws.secret-access-key:}") String secretKey) {
        var builder = S3Client.builder().region(Region.of(region)).httpClientBuilder(Apache5HttpClient.builder());
        if (!endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint)).forcePathStyle(true);
        }
        builder.credentialsProvider(accessKey.isBlank() ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)));
        return builder.build();
    }
}
