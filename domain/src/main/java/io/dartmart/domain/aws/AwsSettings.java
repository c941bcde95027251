package io.dartmart.domain.aws;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;

import java.net.URI;

/**
 * How every AWS client of dart is made: the region of {@code dart.aws.region}; the default credential chain, or
 * static credentials when {@code dart.aws.access-key-id} is set (local stand-ins); another endpoint when one is
 * configured for that service.
 */
@Singleton
public class AwsSettings {
    private final String region;
    private final String accessKey;
    private final String secretKey;

    public AwsSettings(@Value("${dart.aws.region:us-east-1}") String region,
                       @Value("${dart.aws.access-key-id:}") String accessKey,
                       @Value("${dart.aws.secret-access-key:}") String secretKey) {
        this.region = region;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /** Configures {@code builder}; {@code endpoint} blank means the service's own AWS endpoint. */
    public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(B builder, String endpoint) {
        builder.region(Region.of(region)).httpClientBuilder(Apache5HttpClient.builder());
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        builder.credentialsProvider(accessKey.isBlank() ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)));
        return builder;
    }
}
