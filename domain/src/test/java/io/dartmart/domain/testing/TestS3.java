package io.dartmart.domain.testing;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * One real S3 protocol server (S3Proxy over plain files, checking SigV4 signatures) per test JVM, started on first
 * use. Test classes share it and keep out of each other's way with their own buckets.
 */
public final class TestS3 {
    public static final String ACCESS_KEY = "test";
    public static final String SECRET_KEY = "test-secret";

    private static S3Proxy proxy;
    private static Path root;

    private TestS3() {
    }

    public static synchronized String endpoint() {
        if (proxy == null) {
            try {
                root = Files.createTempDirectory("dart-test-s3");
                proxy = S3Proxy.builder().blobStore(new FilesystemNio2BlobStore(root.toString()))
                        .endpoint(URI.create("http://127.0.0.1:0"))
                        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
                proxy.start();
            } catch (IOException e) {
                throw new UncheckedIOException("S3Proxy did not start", e);
            } catch (Exception e) {
                throw new IllegalStateException("S3Proxy did not start", e);
            }
            Await.until("S3Proxy started", Duration.ofSeconds(10), () -> "STARTED".equals(proxy.getState()));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    proxy.stop();
                } catch (Exception ignored) {
                    // the JVM is exiting; the files are temporary
                }
            }));
        }
        return "http://127.0.0.1:" + proxy.getPort();
    }

    /** The directory the server keeps its buckets in: one sub-directory per bucket, one file per object. */
    public static synchronized Path root() {
        endpoint();
        return root;
    }

    /** Micronaut properties that point dart's S3 client at the test server. */
    public static Map<String, String> properties() {
        return Map.of("dart.aws.s3-endpoint", endpoint(),
                "dart.aws.access-key-id", ACCESS_KEY,
                "dart.aws.secret-access-key", SECRET_KEY);
    }
}
