package io.dartmart.local;

import io.dartmart.domain.aws.AwsSettings;
import io.dartmart.domain.testing.Await;
import io.dartmart.engines.worker.EngineWorkerMain;
import io.dartmart.triggers.SubscriptionWorkerMain;
import io.dartmart.triggers.TriggerWorkerMain;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

    private SQSRestServer sqsServer;
    private S3Proxy s3Server;
    private String s3Endpoint;
    private EmbeddedServer server;
    private final List<AutoCloseable> workers = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        sqsServer = SQSRestServerBuilder.withPort(0).withInterface("127.0.0.1").start();
        String sqsEndpoint = "http://127.0.0.1:" + sqsServer.waitUntilStarted().localAddress().getPort();
        AwsSettings aws = new AwsSettings("us-east-1", ACCESS_KEY, SECRET_KEY);
        String triggerQueue;
        String subscriptionQueue;
        try (SqsClient sqs = aws.configure(SqsClient.builder(), sqsEndpoint).build()) {
            triggerQueue = sqs.createQueue(b -> b.queueName("py-trigger")).queueUrl();
            subscriptionQueue = sqs.createQueue(b -> b.queueName("py-subscription")).queueUrl();
        }
        SqsClient notifications = aws.configure(SqsClient.builder(), sqsEndpoint).build();
        workers.add(notifications);
        s3Server = S3Proxy.builder().blobStore(new NotifyingBlobStore(new FilesystemNio2BlobStore(
                        Files.createTempDirectory("dart-python-s3").toString()), notifications, subscriptionQueue))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        s3Server.start();
        Await.until("S3Proxy started", Duration.ofSeconds(20), () -> "STARTED".equals(s3Server.getState()));
        s3Endpoint = "http://127.0.0.1:" + s3Server.getPort();
        try (S3Client s3 = aws.configure(S3Client.builder(), s3Endpoint).forcePathStyle(true).build()) {
            s3.createBucket(b -> b.bucket(BUCKET));
        }

        server = AdminApi.startServer(Map.of(
                "dart.aws.sqs-endpoint", sqsEndpoint,
                "dart.aws.s3-endpoint", s3Endpoint,
                "dart.aws.access-key-id", ACCESS_KEY,
                "dart.aws.secret-access-key", SECRET_KEY,
                "dart.queue.trigger-url", triggerQueue,
                "dart.queue.subscription-url", subscriptionQueue,
                "dart.subscription-worker.interval", "200ms",
                "dart.execution.logs-to-s3", false));
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
        if (s3Server != null) {
            s3Server.stop();
        }
        if (sqsServer != null) {
            sqsServer.stopAndWait();
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
        env.put("DART_TEST_S3_ENDPOINT", s3Endpoint);
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
        assertFalse(output.contains("skipped"), "no Python test may be skipped here:\n" + output);
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
