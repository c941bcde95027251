package io.dartmart.local;

import io.dartmart.api.ApiMain;
import io.dartmart.engines.worker.EngineWorkerMain;
import io.dartmart.triggers.SubscriptionWorkerMain;
import io.dartmart.triggers.TriggerWorkerMain;
import io.dartmart.domain.model.Ids;
import io.dartmart.domain.execution.LostWorkSweeper;
import io.dartmart.domain.schema.SecretCipher;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
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
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code ./dart local}: the whole platform in one JVM. It starts an embedded PostgreSQL whose data persists under
 * the data directory, ElasticMQ (the SQS protocol) and S3Proxy (the S3 protocol, files under the data directory),
 * then the API, the trigger worker, the engine worker and the
 * built-in engines on them. Ctrl-C or SIGTERM stops the workers and the API first and the stand-ins last.
 */
public final class LocalMain {
    /** The local stand-ins accept any credentials; fixed ones keep the endpoints file stable between runs. */
    public static final String LOCAL_ACCESS_KEY = "dart-local";
    public static final String LOCAL_SECRET_KEY = "dart-local-secret";
    public static final String LOCAL_BUCKET = "dart-local";
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
        String problem = dataDirProblem(data);
        if (problem != null) {
            System.err.println("dart: " + problem);
            System.exit(1);
            return;
        }
        requirePortFree(options.port());

        // installed before anything starts, so that Ctrl-C at any moment stops what did start: the workers first,
        // then (after Micronaut's own hook has stopped the API) the other parts in the reverse of their start, the
        // database last, even one still starting. Micronaut exits the JVM itself when the API fails to start.
        String dbPassword = ownerOnlySecret(data.resolve("postgres.password"), () -> Ids.newToken(32));
        LocalDatabase database = new LocalDatabase(data, dbPassword);
        AtomicReference<ApplicationContext> context = new AtomicReference<>();
        Deque<AutoCloseable> parts = new ConcurrentLinkedDeque<>();
        List<AutoCloseable> workers = new CopyOnWriteArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            workers.forEach(LocalMain::closeQuietly);
            awaitStopped(context.get());
            parts.forEach(LocalMain::closeQuietly);
            try {
                database.close();
            } catch (IOException e) {
                System.err.println("dart: embedded PostgreSQL did not stop cleanly: " + e.getMessage());
            }
        }, "dart-local-shutdown"));

        try {
            database.start();
        } catch (IllegalStateException e) {
            System.err.println("dart: " + data + " is in use by another dart (" + e.getMessage() + ");"
                    + " stop it, or pick another --data-dir");
            System.exit(1);
            return;
        }

        SQSRestServer sqs = SQSRestServerBuilder.withPort(0).withInterface("127.0.0.1").start();
        parts.push(sqs::stopAndWait);
        int sqsPort = sqs.waitUntilStarted().localAddress().getPort();
        String sqsEndpoint = "http://127.0.0.1:" + sqsPort;
        SqsClient queues = SqsClient.builder().endpointOverride(URI.create(sqsEndpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(LOCAL_ACCESS_KEY,
                        LOCAL_SECRET_KEY))).httpClientBuilder(Apache5HttpClient.builder()).build();
        parts.push(queues);
        String triggerQueue = queues.createQueue(b -> b.queueName(TRIGGER_QUEUE)).queueUrl();
        String subscriptionQueue = queues.createQueue(b -> b.queueName(SUBSCRIPTION_QUEUE)).queueUrl();
        S3Proxy s3 = startS3(data.resolve("s3"), queues, subscriptionQueue);
        parts.push(s3::stop);
        String s3Endpoint = "http://127.0.0.1:" + s3.getPort();
        writeEndpoints(data.resolve("local-endpoints.json"), sqsEndpoint, s3Endpoint, triggerQueue, subscriptionQueue,
                database.jdbcUrl(), dbPassword);

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
        properties.put("datasources.default.url", database.jdbcUrl());
        properties.put("datasources.default.username", "postgres");
        properties.put("datasources.default.password", dbPassword);
        properties.put("micronaut.server.port", options.port());
        properties.put("micronaut.server.host", options.host());
        properties.put("dart.admin-key-file", data.resolve("admin.key").toString());
        properties.put("dart.s3.datastores-root", "s3://" + LOCAL_BUCKET + "/datastores");
        if (System.getenv("DART_SECRETS_KEY") == null) {
            properties.put("dart.secrets.key", secretsKey(data.resolve("secrets.key")));
        }

        context.set(Micronaut.build(new String[0]).mainClass(ApiMain.class).banner(false)
                .properties(properties).start());
        // the built-in engines died with the previous run of local mode: what they held is lost, and queued again now
        // rather than when its heartbeats are found missing
        int reclaimed = context.get().getBean(LostWorkSweeper.class).reclaim(LocalEngines.NAMES,
                "dart local stopped while its built-in engine ran the action");
        if (reclaimed > 0) {
            System.out.println("dart: " + reclaimed + " action(s) the previous run of dart local left unfinished are"
                    + " queued again");
        }
        workers.add(new TriggerWorkerMain(context.get()));
        workers.add(new SubscriptionWorkerMain(context.get()));
        workers.add(new EngineWorkerMain(context.get()));
        workers.addAll(LocalEngines.start(context.get(), apiUrl));
        LocalWarehouse.provision(context.get());
        System.out.println("dart: ready on http://" + options.host() + ":" + options.port() + "  (data in " + data
                + "; API docs at /apidocs; datastores " + LocalWarehouse.DATASTORE + " and "
                + LocalWarehouse.HTTP_DATASTORE + " reach the database "
                + LocalWarehouse.DATABASE + "; Ctrl-C stops everything)");
        System.out.println(LocalOptions.DEFAULT_HOST.equals(options.host())
                ? "dart: listening on 127.0.0.1 only, this machine; --host 0.0.0.0 opens it to the network"
                : "dart: listening on " + options.host() + " as --host asked: other machines may reach the API");
        System.out.println(LocalMain.class.getResource("/dart-ui/index.html") != null
                ? "dart: web UI at " + apiUrl + "/  (sign in with the admin key)"
                : "dart: this build has no web UI (built with -Dskip.ui)");
    }

    /**
     * S3Proxy over plain files under the data directory (a real S3 protocol server that checks signatures), with the
     * bucket of local datastores; objects created in it are notified to the subscription queue, as a bucket
     * notification does in AWS.
     */
    public static S3Proxy startS3(Path dir, SqsClient sqs, String subscriptionQueue) throws Exception {
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

    /** What is wrong with the data directory, in one line; null when it is a writable directory (made if missing). */
    static String dataDirProblem(Path data) {
        if (Files.exists(data) && !Files.isDirectory(data)) {
            return "--data-dir " + data + " is a file, not a directory";
        }
        try {
            Files.createDirectories(data);
        } catch (FileSystemException e) {
            return "cannot create the data directory " + data + ": " + (e.getReason() == null
                    ? e.getClass().getSimpleName() + " " + e.getFile() : e.getFile() + ": " + e.getReason());
        } catch (IOException e) {
            return "cannot create the data directory " + data + ": " + e.getMessage();
        }
        try {
            Files.delete(Files.createTempFile(data, ".write-check", ""));
        } catch (IOException e) {
            return "the data directory " + data + " is not writable (" + e.getClass().getSimpleName() + ")";
        }
        return null;
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

}
