package io.dartmart.local;

import io.dartmart.engines.worker.EngineWorkerMain;
import io.dartmart.triggers.SubscriptionWorkerMain;
import io.dartmart.triggers.TriggerWorkerMain;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Python package in engines/python against the real platform: this starts the API, the trigger, subscription and
 * engine workers over PostgreSQL, ElasticMQ and S3Proxy, then runs the package's unit and integration tests with the
 * machine's {@code python3}, which register Python engines, run workflows of their steps, consume a subscription,
 * launch a Python process per action, stop one with SIGTERM and use the REST client, all over HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class PythonEnginesEndToEndTest {
    private static final String ADMIN = "test-admin:test-admin-secret-0123456789";
    private static final String ACCESS_KEY = "py-e2e";
    private static final String SECRET_KEY = "py-e2e-secret";
    private static final String BUCKET = "dart-python-e2e";
    private static final Path PACKAGE = Path.of("..", "engines", "python").toAbsolutePath().normalize();

    private EmbeddedAws aws;
    private EmbeddedServer server;
    private final List<AutoCloseable> workers = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        aws = new EmbeddedAws(ACCESS_KEY, SECRET_KEY);
        try (S3Client s3 = aws.s3()) {
            s3.createBucket(b -> b.bucket(BUCKET));
        }
        Map<String, Object> props = aws.serverProperties();
        props.put("dart.subscription-worker.interval", "200ms");
        props.put("dart.execution.logs-to-s3", false);
        server = AdminApi.startServer(props);
        ApplicationContext context = server.getApplicationContext();
        // launched engine processes call the API back here
        context.getEnvironment().addPropertySource("python-e2e", Map.of("dart.api-url", server.getURI().toString()));
        workers.add(new TriggerWorkerMain(context));
        workers.add(new SubscriptionWorkerMain(context));
        workers.add(new EngineWorkerMain(context));
    }

    @AfterAll
    void stop() throws Exception {
        for (int i = workers.size() - 1; i >= 0; i--) {
            workers.get(i).close();
        }
        if (server != null) {
            server.getApplicationContext().close();
        }
        if (aws != null) {
            aws.close();
        }
    }

    @Test
    void thePythonPackagesTestsPassAgainstTheRealServer() throws Exception {
        requirePython39();
        ProcessBuilder pb = new ProcessBuilder("python3", "-m", "unittest", "discover", "-v", "-s", "tests",
                "-t", ".").directory(PACKAGE.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("PYTHONPATH", PACKAGE.resolve("src").toString());
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        env.put("DART_API_URL", server.getURI().toString());
        env.put("DART_ADMIN_KEY", ADMIN);
        env.put("DART_TEST_S3_ENDPOINT", aws.s3Endpoint);
        env.put("DART_TEST_S3_ACCESS_KEY", ACCESS_KEY);
        env.put("DART_TEST_S3_SECRET_KEY", SECRET_KEY);
        env.put("DART_TEST_S3_BUCKET", BUCKET);
        env.remove("DART_ACTION_ID");
        env.remove("DART_API_KEY");
        Path log = Files.createTempFile("dart-python-tests", ".log");
        Process python = pb.redirectOutput(log.toFile()).start();
        boolean ended = python.waitFor(200, TimeUnit.SECONDS);
        if (!ended) {
            python.destroyForcibly().waitFor();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(output);
        if (!ended) {
            fail("the Python tests did not end within 200 s:\n" + output);
        }
        assertEquals(0, python.exitValue(), "the Python tests failed:\n" + output);
        assertFalse(output.contains("skipped="), "no Python test may be skipped here:\n" + output);
    }

    /** Fails with what to do when there is no python3 of at least 3.9 on the PATH. */
    private static void requirePython39() throws InterruptedException {
        String problem;
        try {
            Process p = new ProcessBuilder("python3", "-c",
                    "import sys; print(sys.version.split()[0]); sys.exit(0 if sys.version_info >= (3, 9) else 1)")
                    .redirectErrorStream(true).start();
            String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            problem = p.waitFor() == 0 ? null : "python3 is " + version;
        } catch (IOException e) {
            problem = "python3 is not on the PATH (" + e.getMessage() + ")";
        }
        if (problem != null) {
            fail(problem + ": the Python engine SDK's tests need Python 3.9 or newer as python3");
        }
    }
}
