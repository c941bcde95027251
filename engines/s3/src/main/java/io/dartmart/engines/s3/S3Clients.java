package io.dartmart.engines.s3;

import com.fasterxml.jackson.databind.JsonNode;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The S3 clients of the engine: one per endpoint and region, made on first use and kept. The engine's own endpoint
 * (none: AWS S3) and region apply unless a datastore's {@code endpoint} or {@code region} option overrides them.
 * Another endpoint is addressed path-style, as S3-compatible stores expect.
 */
public final class S3Clients implements AutoCloseable {
    /** The region when the environment names none; with cross-region access, buckets elsewhere still work. */
    public static final String DEFAULT_REGION = "us-east-1";

    private record Target(String endpoint, String region) {
    }

    private final String endpoint;
    private final String region;
    private final AwsCredentialsProvider credentials;
    private final Map<Target, S3Client> clients = new ConcurrentHashMap<>();

    /**
     * @param endpoint    the S3 endpoint, e.g. {@code http://127.0.0.1:9000}; null or blank for AWS S3
     * @param region      the region; null or blank for {@value #DEFAULT_REGION}
     * @param credentials how requests are signed
     */
    public S3Clients(String endpoint, String region, AwsCredentialsProvider credentials) {
        this.endpoint = Args.blankToNull(endpoint);
        this.region = Objects.requireNonNullElse(Args.blankToNull(region), DEFAULT_REGION);
        this.credentials = Objects.requireNonNull(credentials, "credentials");
    }

    /**
     * As the environment says: {@code DART_S3_ENDPOINT} (optional), the region of {@code AWS_REGION} or
     * {@code AWS_DEFAULT_REGION}, and the default AWS credential chain (environment, profile, container or
     * instance role).
     */
    public static S3Clients fromEnvironment(Map<String, String> env) {
        String region = Args.blankToNull(env.get("AWS_REGION"));
        return new S3Clients(env.get("DART_S3_ENDPOINT"), region != null ? region : env.get("AWS_DEFAULT_REGION"),
                DefaultCredentialsProvider.builder().build());
    }

    /** The client for an action on a datastore with these {@code args} (null: no datastore, the engine's own). */
    public S3Client forDatastore(JsonNode datastoreArgs) {
        String e = Args.blankToNull(Args.optional(datastoreArgs, "endpoint"));
        String r = Args.blankToNull(Args.optional(datastoreArgs, "region"));
        return clients.computeIfAbsent(new Target(e != null ? e : endpoint, r != null ? r : region), this::create);
    }

    private S3Client create(Target target) {
        S3ClientBuilder b = S3Client.builder().region(Region.of(target.region())).credentialsProvider(credentials)
                .httpClientBuilder(Apache5HttpClient.builder());
        if (target.endpoint() != null) {
            b.endpointOverride(URI.create(target.endpoint())).forcePathStyle(true);
        } else {
            b.crossRegionAccessEnabled(true);
        }
        return b.build();
    }

    @Override
    public void close() {
        clients.values().forEach(S3Client::close);
        clients.clear();
    }
}
