package io.dartmart.domain.aws;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Secondary;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.s3.S3Client;

/** The S3 client; with {@code dart.aws.s3-endpoint} (local mode, tests) it uses that endpoint, path-style. */
@Factory
public class S3Factory {
    @Singleton
    @Secondary
    @Bean(preDestroy = "close")
    S3Client s3(AwsSettings aws, @Value("${dart.aws.s3-endpoint:}") String endpoint) {
        return aws.configure(S3Client.builder(), endpoint).forcePathStyle(!endpoint.isBlank()).build();
    }
}
