package io.dartmart.api;

import io.dartmart.api.support.ApiTestBase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** When S3 cannot be reached, guessing answers 503 in the JSON error body, not a 500. */
@MicronautTest
class DatasetGuessUnavailableTest extends ApiTestBase {
    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(super.getProperties());
        p.put("dart.aws.s3-endpoint", "http://127.0.0.1:" + closedPort());
        p.put("dart.aws.access-key-id", "test");
        p.put("dart.aws.secret-access-key", "test-secret");
        return p;
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void anUnreachableS3Is503() {
        String message = error(503, admin().get("/api/1/dataset/guess", Map.of("s3_path", "s3://bucket/a.csv")));
        assertTrue(message.startsWith("S3 cannot be reached to read s3://bucket/a.csv"), message);
    }
}
