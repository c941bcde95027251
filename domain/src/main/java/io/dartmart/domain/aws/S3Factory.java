package io.dartmart.domain.aws;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Secondary;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.s3.S3Client;

/** The S3 client of the workers and the API; with {@code dart.aws.s3-endpoint} (local mode, tests) it uses that endpoint, path-style. */
@Factory
public class S3Factory {
    @Singleton
    @Secondary
    @Bean(preDestroy = "close")
    S3Client s3(AwsSettings aws, @Value("${dart.aws.s3-endpoint:}") String endpoint) {
        // datasets live in buckets of any region: the client follows a bucket to its region
        return aws.configure(S3Client.builder(), endpoint).forcePathStyle(!endpoint.isBlank())
                .crossRegionAccessEnabled(endpoint.isBlank()).build();
    }
}
