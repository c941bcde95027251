package io.dartmart.engines.s3;

import io.dartmart.domain.testing.TestS3;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The test S3 server (S3Proxy over files) as the engine sees it, and uniquely named buckets on it. */
final class TestBuckets {
    static final AwsCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create(TestS3.ACCESS_KEY, TestS3.SECRET_KEY));
    static final S3Clients CLIENTS = new S3Clients(TestS3.endpoint(), "us-east-1", CREDENTIALS);
    static final S3Client S3 = CLIENTS.forDatastore(null);

    private TestBuckets() {
    }

    /** A new, empty bucket. */
    static String create(String purpose) {
        String bucket = purpose + "-" + UUID.randomUUID().toString().substring(0, 8);
        S3.createBucket(b -> b.bucket(bucket));
        return bucket;
    }

    static void put(String bucket, String key, String content) {
        put(bucket, key, content.getBytes(StandardCharsets.UTF_8));
    }

    static void put(String bucket, String key, byte[] content) {
        S3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content));
    }

    static String read(String bucket, String key) {
        return S3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
    }

    static HeadObjectResponse head(String bucket, String key) {
        return S3.headObject(b -> b.bucket(bucket).key(key));
    }

    /** Every key in the bucket, in S3's order. */
    static List<String> keys(String bucket) {
        List<String> keys = new ArrayList<>();
        S3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().forEach(o -> keys.add(o.key()));
        return keys;
    }
}
