package io.dartmart.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.model.Json;
import io.dartmart.engines.postgres.PostgresEngine;
import io.dartmart.engines.s3.S3Clients;
import io.dartmart.engines.sdk.ActionContext;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.postgresql.PGConnection;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;

/**
 * {@code ./dart bench-load [ROWS]}: the load benchmark. It writes a CSV file of ROWS rows (default 10 million, about
 * 0.85 GB), puts it gzipped into a local S3 server (S3Proxy over files) and loads it into a fresh embedded PostgreSQL
 * in each of two rounds: first with the machine's floor, pgjdbc's {@code CopyManager.copyIn} of the uncompressed local
 * file into a table of the same columns; then with the postgres engine's {@code load_dataset} handler (the code an
 * action runs, without the API around it): S3 GET, gunzip, COPY, record the file, commit. It prints rows per second
 * of each, the ratio of the best rounds, the peak heap used during each (sampled every 10 ms) and the machine's load.
 */
public final class LoadBenchmark {
    private static final String KEY = "bench";
    private static final String SECRET = "bench-secret";
    private static final int ROUNDS = 2;
    private static final String COLUMNS = "id bigint, customer text, amount numeric(12,2), created timestamp, note text";

    private LoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        Path dir = Files.createTempDirectory("dart-bench-load");
        Files.createDirectories(dir.resolve("s3/bench"));
        System.out.printf("load benchmark: %,d rows; machine: %d cores, load %s%n", rows,
                Runtime.getRuntime().availableProcessors(), loadAverage());
        Path csv = dir.resolve("orders.csv");
        Path gz = dir.resolve("orders.csv.gz");
        writeFiles(rows, csv, gz);
        System.out.printf("files: %,d bytes of CSV, %,d gzipped%n", Files.size(csv), Files.size(gz));

        S3Proxy proxy = S3Proxy.builder().blobStore(new FilesystemNio2BlobStore(dir.resolve("s3").toString()))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, KEY, SECRET).build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg"))
                .setServerConfig("max_wal_size", "4GB").start();
             S3Clients clients = new S3Clients("http://127.0.0.1:" + proxy.getPort(), "us-east-1",
                     StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, SECRET)))) {
            S3Client s3 = clients.forDatastore(null);
            s3.putObject(b -> b.bucket("bench").key("orders/orders.csv.gz"), RequestBody.fromFile(gz));
            String url = pg.getJdbcUrl("postgres", "postgres");
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE floor_orders (" + COLUMNS + "); CREATE TABLE orders (" + COLUMNS + ")");
            }

            Phase bestFloor = null;
            Phase bestEngine = null;
            for (int round = 1; round <= ROUNDS; round++) {
                try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                    s.execute("TRUNCATE floor_orders, orders; DROP SCHEMA IF EXISTS dart_meta CASCADE; CHECKPOINT");
                }
                Phase floor = measure(() -> {
                    try (Connection c = DriverManager.getConnection(url);
                         InputStream in = new BufferedInputStream(Files.newInputStream(csv), 1 << 16)) {
                        return c.unwrap(PGConnection.class).getCopyAPI()
                                .copyIn("COPY floor_orders FROM STDIN WITH (FORMAT csv, HEADER true)", in, 1 << 16);
                    }
                });
                print("round " + round + " floor: CopyManager.copyIn, local CSV", floor);
                Phase engine = measure(() -> {
                    PostgresEngine.handlers(clients, Clock.systemUTC()).get("load_dataset")
                            .run(new BenchContext(Json.object().put("jdbc_url", url), dataset()));
                    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                         var r = s.executeQuery("SELECT count(*) FROM orders")) {
                        r.next();
                        return r.getLong(1);
                    }
                });
                print("round " + round + " load_dataset: S3, gzip", engine);
                if (floor.rows() != rows || engine.rows() != rows) {
                    throw new IllegalStateException("expected " + rows + " rows, loaded " + floor.rows() + " and "
                            + engine.rows());
                }
                bestFloor = bestFloor == null || floor.time().compareTo(bestFloor.time()) < 0 ? floor : bestFloor;
                bestEngine = bestEngine == null || engine.time().compareTo(bestEngine.time()) < 0 ? engine : bestEngine;
            }
            System.out.printf("ratio of the best rounds: load_dataset / floor = %.2f (target >= 0.8); load now %s%n",
                    bestEngine.rowsPerSecond() / bestFloor.rowsPerSecond(), loadAverage());
        } finally {
            proxy.stop();
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static ObjectNode dataset() {
        return (ObjectNode) Json.parseTrusted("""
                {"id": "bench", "data": {"name": "orders", "location": "s3://bench/orders/", "load_type": "INSERT",
                 "compression": "GZIP",
                 "data_format": {"file_format": "TEXTFILE", "row_format": "DELIMITED", "delimited_by": ",",
                                 "quoted_by": "\\"", "num_header_rows": 1},
                 "columns": [{"name": "id", "data_type": "BIGINT"}, {"name": "customer", "data_type": "STRING"},
                             {"name": "amount", "data_type": "NUMERIC", "precision": 12, "scale": 2},
                             {"name": "created", "data_type": "DATETIME"}, {"name": "note", "data_type": "STRING"}]}}""");
    }

    /** The CSV and its gzipped copy, written in one pass: about 100 bytes a row. */
    private static void writeFiles(long rows, Path csv, Path gz) throws Exception {
        try (OutputStream plain = new BufferedOutputStream(Files.newOutputStream(csv), 1 << 16);
             OutputStream zipped = new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(gz), 1 << 16),
                     1 << 16)) {
            byte[] header = "id,customer,amount,created,note\n".getBytes(StandardCharsets.US_ASCII);
            plain.write(header);
            zipped.write(header);
            StringBuilder line = new StringBuilder(128);
            for (long i = 1; i <= rows; i++) {
                line.setLength(0);
                line.append(i).append(",customer-").append(i * 7919 % 1_000_003).append(',')
                        .append(i % 100_000).append('.').append(i % 100 < 10 ? "0" : "").append(i % 100)
                        .append(",2026-11-").append(10 + i % 19).append(' ').append(10 + i % 13).append(':')
                        .append(10 + i % 49).append(':').append(10 + i % 47)
                        .append(",\"order ").append(i).append(", shipped by road\"\n");
                byte[] bytes = line.toString().getBytes(StandardCharsets.US_ASCII);
                plain.write(bytes);
                zipped.write(bytes);
            }
        }
    }

    private record Phase(long rows, Duration time, long peakHeap) {
        double rowsPerSecond() {
            return rows / (time.toNanos() / 1e9);
        }
    }

    @FunctionalInterface
    private interface Work {
        long run() throws Exception;
    }

    /** Runs the work while sampling the heap in use; a GC first, so each phase starts from the same floor. */
    private static Phase measure(Work work) throws Exception {
        System.gc();
        AtomicLong peak = new AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        Thread sampler = new Thread(() -> {
            var memory = ManagementFactory.getMemoryMXBean();
            while (!done.get()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.start();
        long start = System.nanoTime();
        long rows = work.run();
        Duration time = Duration.ofNanos(System.nanoTime() - start);
        done.set(true);
        sampler.join();
        return new Phase(rows, time, peak.get());
    }

    private static void print(String what, Phase p) {
        System.out.printf("%-45s %,12d rows in %6.1f s = %,10.0f rows/s; peak heap used %,6d MiB%n", what, p.rows(),
                p.time().toNanos() / 1e9, p.rowsPerSecond(), p.peakHeap() / (1024 * 1024));
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (Exception e) {
            return "unknown";
        }
    }

    /** The context a pull worker would give the handler: the dataset as the API answers it, the datastore's args. */
    private record BenchContext(JsonNode datastoreArgs, JsonNode datasetEnvelope) implements ActionContext {
        @Override
        public String actionId() {
            return "BENCH";
        }

        @Override
        public int attempt() {
            return 1;
        }

        @Override
        public String actionTypeName() {
            return "load_dataset";
        }

        @Override
        public JsonNode actionArgs() {
            return Json.object().put("dataset_id", "bench").put("target_table_name", "orders");
        }

        @Override
        public JsonNode parameters() {
            return null;
        }

        @Override
        public JsonNode action() {
            return Json.object().put("id", actionId());
        }

        @Override
        public JsonNode datastore() {
            return null;
        }

        @Override
        public void progress(double fraction) {
            // the benchmark times the whole load; progress is not shown
        }

        @Override
        public Iterable<JsonNode> subscriptionElements() {
            return List.of();
        }

        @Override
        public JsonNode entity(String entityType, String id) {
            return datasetEnvelope;
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            Thread.sleep(duration.toMillis());
        }

        @Override
        public boolean isStopped() {
            return false;
        }
    }
}
