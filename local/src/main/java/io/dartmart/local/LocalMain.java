package io.dartmart.local;

import io.dartmart.api.ApiMain;
import io.dartmart.engines.worker.EngineWorkerMain;
import io.dartmart.triggers.SubscriptionWorkerMain;
import io.dartmart.triggers.TriggerWorkerMain;
import io.dartmart.domain.model.Ids;
import io.dartmart.domain.schema.SecretCipher;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code ./dart local}: the whole platform in one JVM. It starts an embedded PostgreSQL whose data persists under
 * the data directory, ElasticMQ (the SQS protocol) and S3Proxy (the S3 protocol, files under the data directory),
 * then the API, the trigger worker, the engine worker and the
 * built-in engines on them. Ctrl-C or SIGTERM stops the workers and the API first and the stand-ins last.
 */
public final class LocalMain {
    /** The local stand-ins accept any credentials; fixed ones keep the endpoints file stable between runs. */
    private static final String LOCAL_ACCESS_KEY = "dart-local";
    private static final String LOCAL_SECRET_KEY = "dart-local-secret";
    private static final String LOCAL_BUCKET = "dart-local";
    private static final String TRIGGER_QUEUE = "dart-trigger";
    private static final String SUBSCRIPTION_QUEUE = "dart-subscription";
    private LocalMain() {
    }

    public static void main(String[] args) throws Exception {
        LocalOptions options;
        try {
            options = LocalOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println((e.getMessage().isEmpty() ? "" : "dart: " + e.getMessage() + "\n") + LocalOptions.USAGE);
            System.exit(2);
            return;
        }
        Path data = options.dataDir();
        Files.createDirectories(data);
        requirePortFree(options.port());

        String dbPassword = ownerOnlySecret(data.resolve("postgres.password"), () -> Ids.newToken(32));
        EmbeddedPostgres postgres;
        try {
            postgres = startPostgres(data, dbPassword);
        } catch (IllegalStateException e) {
            System.err.println("dart: " + data + " is in use by another dart (" + e.getMessage() + ");"
                    + " stop it, or pick another --data-dir");
            System.exit(1);
            return;
        }


        SQSRestServer sqs = SQSRestServerBuilder.withPort(0).withInterface("127.0.0.1").start();
        int sqsPort = sqs.waitUntilStarted().localAddress().getPort();
        String sqsEndpoint = "http://127.0.0.1:" + sqsPort;
        SqsClient queues = SqsClient.builder().endpointOverride(URI.create(sqsEndpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(LOCAL_ACCESS_KEY,
                        LOCAL_SECRET_KEY))).httpClientBuilder(Apache5HttpClient.builder()).build();
        String triggerQueue = queues.createQueue(b -> b.queueName(TRIGGER_QUEUE)).queueUrl();
        String subscriptionQueue = queues.createQueue(b -> b.queueName(SUBSCRIPTION_QUEUE)).queueUrl();
        S3Proxy s3 = startS3(data.resolve("s3"), queues, subscriptionQueue);
        String s3Endpoint = "http://127.0.0.1:" + s3.getPort();
        writeEndpoints(data.resolve("local-endpoints.json"), sqsEndpoint, s3Endpoint, triggerQueue, subscriptionQueue,
                postgres.getJdbcUrl("postgres", "postgres"), dbPassword);

        Map<String, Object> properties = new HashMap<>();
        properties.put("dart.aws.sqs-endpoint", sqsEndpoint);
        properties.put("dart.aws.s3-endpoint", s3Endpoint);
        properties.put("dart.aws.access-key-id", LOCAL_ACCESS_KEY);
        properties.put("dart.aws.secret-access-key", LOCAL_SECRET_KEY);
        properties.put("dart.queue.trigger-url", triggerQueue);
        properties.put("dart.queue.subscription-url", subscriptionQueue);
        // the engines reach the API where it listens; on every interface, through the loopback one
        String apiUrl = "http://" + ("0.0.0.0".equals(options.host()) ? LocalOptions.DEFAULT_HOST : options.host())
                + ":" + options.port();
        properties.put("dart.api-url", apiUrl);
        properties.put("datasources.default.url", postgres.getJdbcUrl("postgres", "postgres"));
        properties.put("datasources.default.username", "postgres");
        properties.put("datasources.default.password", dbPassword);
        properties.put("micronaut.server.port", options.port());
        properties.put("micronaut.server.host", options.host());
        properties.put("dart.admin-key-file", data.resolve("admin.key").toString());
        properties.put("dart.s3.datastores-root", "s3://" + LOCAL_BUCKET + "/datastores");
        if (System.getenv("DART_SECRETS_KEY") == null) {
            properties.put("dart.secrets.key", secretsKey(data.resolve("secrets.key")));
        }

        // Micronaut's own hook stops the API; this one waits for that, then stops the database under it. It is
        // installed before the API starts because Micronaut exits the JVM itself when startup fails.
        AtomicReference<ApplicationContext> context = new AtomicReference<>();
        List<AutoCloseable> workers = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (AutoCloseable w : workers) {
                closeQuietly(w);
            }
            awaitStopped(context.get());
            closeQuietly(s3::stop);
            queues.close();
            sqs.stopAndWait();
            try {
                postgres.close();
            } catch (IOException e) {
                System.err.println("dart: embedded PostgreSQL did not stop cleanly: " + e.getMessage());
            }
        }, "dart-local-shutdown"));
        context.set(Micronaut.build(new String[0]).mainClass(ApiMain.class).banner(false)
                .properties(properties).start());
        workers.add(new TriggerWorkerMain(context.get()));
        workers.add(new SubscriptionWorkerMain(context.get()));
        workers.add(new EngineWorkerMain(context.get()));
        workers.addAll(LocalEngines.start(context.get(), apiUrl));
        LocalWarehouse.provision(context.get());
        System.out.println("dart: ready on http://" + options.host() + ":" + options.port() + "  (data in " + data
                + "; API docs at /apidocs; datastore " + LocalWarehouse.DATASTORE + " is the database "
                + LocalWarehouse.DATABASE + "; Ctrl-C stops everything)");
        System.out.println(LocalOptions.DEFAULT_HOST.equals(options.host())
                ? "dart: listening on 127.0.0.1 only, this machine; --host 0.0.0.0 opens it to the network"
                : "dart: listening on " + options.host() + " as --host asked: other machines may reach the API");
    }

    /**
     * S3Proxy over plain files under the data directory (a real S3 protocol server that checks signatures), with the
     * bucket of local datastores; objects created in it are notified to the subscription queue, as a bucket
     * notification does in AWS.
     */
    private static S3Proxy startS3(Path dir, SqsClient sqs, String subscriptionQueue) throws Exception {
        Files.createDirectories(dir.resolve(LOCAL_BUCKET));
        S3Proxy proxy = S3Proxy.builder().blobStore(new NotifyingBlobStore(
                        new FilesystemNio2BlobStore(dir.toAbsolutePath().toString()), sqs, subscriptionQueue))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, LOCAL_ACCESS_KEY, LOCAL_SECRET_KEY).build();
        proxy.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the local S3 server did not start");
            }
            Thread.sleep(10);
        }
        return proxy;
    }

    /** Where the local AWS stand-ins listen, for the AWS CLI or any SDK. */
    /** Where the stand-ins listen and their credentials, for tools; readable by the owner only. */
    private static void writeEndpoints(Path file, String sqsEndpoint, String s3Endpoint, String triggerQueue,
                                       String subscriptionQueue, String jdbcUrl, String dbPassword) throws IOException {
        var root = io.dartmart.domain.model.Json.object();
        var s3Node = root.putObject("s3");
        s3Node.put("endpoint", s3Endpoint);
        s3Node.put("region", "us-east-1");
        s3Node.put("access_key_id", LOCAL_ACCESS_KEY);
        s3Node.put("secret_access_key", LOCAL_SECRET_KEY);
        s3Node.put("bucket", LOCAL_BUCKET);
        var sqsNode = root.putObject("sqs");
        sqsNode.put("endpoint", sqsEndpoint);
        sqsNode.put("region", "us-east-1");
        sqsNode.put("access_key_id", LOCAL_ACCESS_KEY);
        sqsNode.put("secret_access_key", LOCAL_SECRET_KEY);
        sqsNode.put("trigger_queue_url", triggerQueue);
        sqsNode.put("subscription_queue_url", subscriptionQueue);
        var db = root.putObject("postgres");
        db.put("jdbc_url", jdbcUrl);
        db.put("user", "postgres");
        db.put("password", dbPassword);
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, root.toPrettyString() + "\n", StandardCharsets.UTF_8);
    }

    /**
     * Closes one part in the shutdown hook. Errors too are reported and passed over: the parts after it, the
     * database last, must stop even when one fails (a jar replaced under the running JVM fails class loading).
     */
    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception | LinkageError e) {
            System.err.println("dart: " + e);
        }
    }

    private static void awaitStopped(ApplicationContext context) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (context != null && context.isRunning() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * The embedded database, with a password of its own kept in the data directory: initdb trusts every local
     * connection, so on the first start the password is set and pg_hba.conf then asks for it on every connection.
     */
    private static EmbeddedPostgres startPostgres(Path data, String password) throws IOException {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(data.resolve("postgres"))
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setPort(freePort())
                .setServerConfig("max_connections", "100")
                // the server's log in the data directory (postgres/log), with every statement slower than a second
                .setServerConfig("logging_collector", "on")
                .setServerConfig("log_directory", "log")
                .setServerConfig("log_filename", "postgresql-%a.log")
                .setServerConfig("log_truncate_on_rotation", "on")
                .setServerConfig("log_rotation_age", "1d")
                .setServerConfig("log_min_duration_statement", System.getProperty("dart.local.log-slow-ms", "1000"))
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setConnectConfig("password", password)
                .start();
        Path hba = data.resolve("postgres").resolve("pg_hba.conf");
        if (Files.readString(hba, StandardCharsets.UTF_8).contains("trust")) {
            try (var c = postgres.getPostgresDatabase().getConnection(); var st = c.createStatement()) {
                // a literal: ALTER ROLE takes no bind parameters; the password is letters, digits, '-' and '_'
                st.execute("ALTER ROLE postgres PASSWORD '" + password + "'");
                Files.writeString(hba, "local all all scram-sha-256\nhost all all 127.0.0.1/32 scram-sha-256\n"
                        + "host all all ::1/128 scram-sha-256\n", StandardCharsets.UTF_8);
                st.execute("SELECT pg_reload_conf()");
            } catch (java.sql.SQLException e) {
                throw new IOException("could not set the embedded database's password: " + e.getMessage(), e);
            }
        }
        return postgres;
    }

    /** The key that encrypts secrets at rest; made once per data directory and kept for the owner only. */
    private static String secretsKey(Path file) throws IOException {
        return ownerOnlySecret(file, SecretCipher::newKey);
    }

    /** A secret kept in {@code file}, readable by the owner only; made by {@code make} the first time. */
    private static String ownerOnlySecret(Path file, java.util.function.Supplier<String> make) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        String secret = make.get();
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
        return secret;
    }

    private static void requirePortFree(int port) {
        try (ServerSocket ignored = new ServerSocket(port)) {
            ignored.setReuseAddress(true);
        } catch (IOException e) {
            System.err.println("dart: port " + port + " is taken; stop what uses it or pick another with --port");
            System.exit(1);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
