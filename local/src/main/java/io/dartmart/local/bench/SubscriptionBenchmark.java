package io.dartmart.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.api.ApiMain;
import io.dartmart.domain.model.Json;
import io.dartmart.engines.noop.NoOpEngine;
import io.dartmart.triggers.SubscriptionWorkerMain;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static io.dartmart.local.bench.BenchApi.percentile;
import static io.dartmart.local.bench.BenchApi.time;

/**
 * {@code ./dart bench-subscriptions}: the subscription benchmark. In this JVM it starts a fresh embedded PostgreSQL,
 * ElasticMQ (SQS), S3Proxy over a temporary directory (the real S3 protocol), the API and a subscription worker with
 * its default settings, then prints:
 * (a) generation: the objects of a dataset's location listed into a new subscription's elements, from the
 * subscription's creation to ACTIVE (its {@code created} and {@code generated_time}), as elements per second, several
 * fresh subscriptions over the same objects;
 * (b) the time from sending an S3 object-created notification to the subscription queue to the creation of the
 * workflow instance that a subscription_batch trigger starts for it (the instance's {@code created}), p50 and p99.
 * The no_op engine consumes each batch in pull mode, so the workflow never stands at its concurrency.
 * The objects are written straight into S3Proxy's directory, as uploading them over HTTP would take minutes; the
 * listing reads them through the S3 protocol. Arguments: [objects, default 100000] [generations, default 3]
 * [notifications, default 50].
 */
public final class SubscriptionBenchmark {
    private static final String ACCESS_KEY = "bench";
    private static final String SECRET_KEY = "bench-secret";
    private static final String BUCKET = "bench";
    private static final int FILES_PER_FOLDER = 1_000;
    private static final int FILE_SIZE = 100;
    /** Notifications sent before the measured ones, so that the JIT has compiled the path. */
    private static final int WARM_UP = 5;
    /** The pause between two notifications, so that each one is measured on a quiet worker. */
    private static final Duration SPACING = Duration.ofMillis(200);

    private final BenchApi api;
    private final Path s3Root;
    private final TimedListing listing;
    private final SqsClient sqs;
    private final String queueUrl;

    private SubscriptionBenchmark(BenchApi api, Path s3Root, TimedListing listing, SqsClient sqs, String queueUrl) {
        this.api = api;
        this.s3Root = s3Root;
        this.listing = listing;
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    public static void main(String[] args) throws Exception {
        int objects = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int generations = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int notifications = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        Path dir = Files.createTempDirectory("dart-bench-subscriptions");
        Path s3Root = dir.resolve("s3");
        Files.createDirectories(s3Root.resolve(BUCKET));
        SQSRestServer sqsServer = SQSRestServerBuilder.withPort(0).withInterface("127.0.0.1").start();
        String sqsEndpoint = "http://127.0.0.1:" + sqsServer.waitUntilStarted().localAddress().getPort();
        TimedListing store = new TimedListing(new FilesystemNio2BlobStore(s3Root.toString()));
        S3Proxy s3 = S3Proxy.builder().blobStore(store)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        s3.start();
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).start();
             SqsClient sqs = SqsClient.builder().endpointOverride(URI.create(sqsEndpoint)).region(Region.US_EAST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY,
                             SECRET_KEY))).httpClientBuilder(Apache5HttpClient.builder()).build()) {
            awaitStarted(s3);
            String queueUrl = sqs.createQueue(b -> b.queueName("dart-subscription")).queueUrl();
            int port;
            try (var socket = new java.net.ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Map<String, Object> properties = new HashMap<>();
            properties.put("datasources.default.url", pg.getJdbcUrl("postgres", "postgres"));
            properties.put("datasources.default.username", "postgres");
            properties.put("datasources.default.password", "");
            properties.put("micronaut.server.port", port);
            properties.put("dart.secrets.key", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
            properties.put("dart.bootstrap-key", BenchApi.ADMIN);
            properties.put("dart.aws.sqs-endpoint", sqsEndpoint);
            properties.put("dart.aws.s3-endpoint", "http://127.0.0.1:" + s3.getPort());
            properties.put("dart.aws.access-key-id", ACCESS_KEY);
            properties.put("dart.aws.secret-access-key", SECRET_KEY);
            properties.put("dart.queue.subscription-url", queueUrl);
            ApplicationContext ctx = Micronaut.build(new String[0]).mainClass(ApiMain.class).banner(false)
                    .properties(properties).start();
            BenchApi api = new BenchApi(URI.create("http://localhost:" + port));
            try (SubscriptionWorkerMain ignored = new SubscriptionWorkerMain(ctx)) {
                new SubscriptionBenchmark(api, s3Root, store, sqs, queueUrl).run(objects, generations, notifications);
            } finally {
                ctx.close();
            }
        } finally {
            s3.stop();
            sqsServer.stopAndWait();
            deleteTree(dir);
        }
    }

    /** The objects take a few hundred MB of a shared disk: they go with the run. */
    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void awaitStarted(S3Proxy s3) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!"STARTED".equals(s3.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start within 30 s");
            }
            Thread.sleep(10);
        }
    }

    private void run(int objects, int generations, int notifications) throws Exception {
        System.out.printf("dart subscription benchmark (%d CPUs, Java %s)%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        writeObjects("data", objects);
        String dataset = dataset("s3://" + BUCKET + "/data");
        List<Generation> runs = new ArrayList<>();
        for (int g = 0; g < generations; g++) {
            long listedBefore = listing.nanos.get();
            double seconds = generate(dataset, objects);
            runs.add(new Generation(seconds, (listing.nanos.get() - listedBefore) / 1e9));
        }
        runs.sort(Comparator.comparingDouble(Generation::seconds));
        Generation median = runs.get((runs.size() - 1) / 2);
        double pages = Math.ceil(objects / 1_000.0);
        System.out.printf("(a) generation over %,d objects: median %,.0f elements/s (%.1f ms per 1,000-key page),"
                + " best %,.0f elements/s (%d subscriptions)%n", objects, objects / median.seconds(),
                median.seconds() * 1000 / pages, objects / runs.get(0).seconds(), runs.size());
        System.out.printf("    of a page's %.1f ms, S3Proxy's file store spent %.1f ms finding the keys; the rest"
                + " (S3 protocol, storing the elements) took %.1f ms: %,.0f elements/s%n",
                median.seconds() * 1000 / pages, median.listing() * 1000 / pages,
                (median.seconds() - median.listing()) * 1000 / pages,
                objects / (median.seconds() - median.listing()));

        List<Long> latencies = notificationToTrigger(notifications);
        Collections.sort(latencies);
        System.out.printf("(b) S3 notification sent -> subscription_batch trigger's workflow instance created:"
                + " p50 %.1f ms, p99 %.1f ms (%d notifications, %d ms apart)%n", percentile(latencies, 50) / 1000.0,
                percentile(latencies, 99) / 1000.0, latencies.size(), SPACING.toMillis());
    }

    /** A generation's time from creation to ACTIVE, and the part of it S3Proxy's store spent listing. */
    private record Generation(double seconds, double listing) {
    }

    /**
     * S3Proxy's file store, timing its listings: it reads the whole prefix for every page, so its share grows with
     * the number of objects, which S3 itself does not do.
     */
    private static final class TimedListing extends ForwardingBlobStore {
        private final AtomicLong nanos = new AtomicLong();

        TimedListing(BlobStore delegate) {
            super(delegate);
        }

        @Override
        public ListObjectsV2Response list(ListObjectsV2Request request) {
            long start = System.nanoTime();
            try {
                return super.list(request);
            } finally {
                nanos.addAndGet(System.nanoTime() - start);
            }
        }
    }

    /** Writes the objects as files of S3Proxy's store, a thousand to a folder, as a partitioned dataset lays them. */
    private void writeObjects(String prefix, int objects) throws Exception {
        byte[] content = new byte[FILE_SIZE];
        for (int i = 0; i < objects; i++) {
            Path folder = s3Root.resolve(BUCKET).resolve(prefix).resolve(String.format("part=%04d",
                    i / FILES_PER_FOLDER));
            if (i % FILES_PER_FOLDER == 0) {
                Files.createDirectories(folder);
            }
            Files.write(folder.resolve(String.format("%08d.csv", i)), content);
        }
    }

    /** Creates a subscription on the dataset and waits until it is listed; answers the seconds it took. */
    private double generate(String dataset, int objects) throws Exception {
        String id = api.post("/api/1/dataset/" + dataset + "/subscription", Map.of("data", Map.of("name",
                "sub-" + System.nanoTime()))).get("id").asText();
        JsonNode sub = awaitState("/api/1/subscription/" + id, "ACTIVE", Duration.ofMinutes(30));
        long listed = 0;
        for (JsonNode row : api.get("/api/1/subscription/" + id + "/element_stats").path("results")) {
            listed += row.path("count").asLong();
        }
        if (listed != objects) {
            throw new IllegalStateException("subscription " + id + " has " + listed + " elements, not " + objects);
        }
        return Duration.between(time(sub, "created"), time(sub.path("data"), "generated_time")).toNanos() / 1e9;
    }

    /**
     * An ACTIVE subscription on an empty folder, and a subscription_batch trigger of one byte on a workflow of one
     * consume_subscription step: each notified object is a batch, and starts a run. Answers the microseconds from
     * each send to its run's creation.
     */
    private List<Long> notificationToTrigger(int samples) throws Exception {
        String dataset = dataset("s3://" + BUCKET + "/incoming");
        String subscription = api.post("/api/1/dataset/" + dataset + "/subscription",
                Map.of("data", Map.of("name", "incoming"))).get("id").asText();
        awaitState("/api/1/subscription/" + subscription, "ACTIVE", Duration.ofMinutes(1));
        JsonNode key = api.post("/api/1/api_key", Map.of("data", Map.of("user_id", "bench@dart.local",
                "role", "engine", "engine_name", NoOpEngine.NAME))).path("data");
        var engine = NoOpEngine.builder().apiUrl(api.base().toString())
                .apiKey(key.path("key").asText() + ":" + key.path("secret").asText()).build();
        engine.register();
        String datastore = api.post("/api/1/datastore", Map.of("data", Map.of("name", "incoming", "engine_name",
                NoOpEngine.NAME, "state", "TEMPLATE", "concurrency", 10, "args", Map.of(NoOpEngine.SLEEP_OPTION, 0))))
                .get("id").asText();
        String workflow = api.post("/api/1/datastore/" + datastore + "/workflow", Map.of("data", Map.of("name",
                "consume incoming", "state", "ACTIVE", "concurrency", 10))).get("id").asText();
        api.post("/api/1/workflow/" + workflow + "/action", Map.of("data", Map.of("name", "consume",
                "action_type_name", NoOpEngine.CONSUME_SUBSCRIPTION, "args", Map.of("subscription_id", subscription))));
        api.post("/api/1/trigger", Map.of("data", Map.of("name", "every file",
                "trigger_type_name", "subscription_batch", "state", "ACTIVE", "workflow_ids", List.of(workflow),
                "args", Map.of("subscription_id", subscription, "unconsumed_data_size_in_bytes", 1))));
        List<Long> out = new ArrayList<>();
        try (var workers = engine.startPullWorkers(2)) {
            for (int i = 0; i < WARM_UP + samples; i++) {
                Instant sent = Instant.now();
                sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(objectCreated("incoming/" + System.nanoTime()
                        + ".csv")));
                long micros = Duration.between(sent, awaitRun(workflow, i + 1)).toNanos() / 1_000;
                if (i >= WARM_UP) {
                    out.add(micros);
                }
                Thread.sleep(SPACING.toMillis());
            }
        }
        return out;
    }

    /** An S3 event notification for one created object, as S3 sends it to SQS. */
    private static String objectCreated(String key) {
        ObjectNode root = Json.object();
        ObjectNode record = root.putArray("Records").addObject();
        record.put("eventVersion", "2.1").put("eventSource", "aws:s3").put("awsRegion", "us-east-1")
                .put("eventTime", Instant.now().toString()).put("eventName", "ObjectCreated:Put");
        ObjectNode s3 = record.putObject("s3");
        s3.put("s3SchemaVersion", "1.0");
        s3.putObject("bucket").put("name", BUCKET).put("arn", "arn:aws:s3:::" + BUCKET);
        s3.putObject("object").put("key", URLEncoder.encode(key, StandardCharsets.UTF_8)).put("size", FILE_SIZE);
        return Json.write(root);
    }

    /** Waits until the workflow has {@code runs} runs; answers the newest one's creation time. */
    private Instant awaitRun(String workflow, int runs) throws Exception {
        String path = "/api/1/workflow/" + workflow + "/instance?limit=1&order_by="
                + URLEncoder.encode("[\"created DESC\"]", StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode page = api.get(path);
            if (page.path("total").asInt() >= runs) {
                return time(page.path("results").get(0), "created");
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("no run of workflow " + workflow + " within 60 s of the notification");
    }

    private String dataset(String location) throws Exception {
        return api.post("/api/1/dataset", Map.of("data", Map.of("name", "bench_" + System.nanoTime(),
                "location", location, "data_format", Map.of("file_format", "TEXTFILE", "row_format", "DELIMITED",
                        "delimited_by", ",")))).get("id").asText();
    }

    private JsonNode awaitState(String path, String state, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode entity = api.get(path).path("results");
            String now = entity.path("data").path("state").asText();
            if (state.equals(now)) {
                return entity;
            }
            if ("FAILED".equals(now)) {
                throw new IllegalStateException(path + " failed: " + entity.path("data").path("error_message"));
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(path + " is not " + state + " after " + timeout);
    }
}
