package io.dartmart.local.bench;

import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * The machine's floor, measured on the benchmark's own database in the same run: what the benchmark's work costs with
 * nothing of dart in it. A raw LISTEN/NOTIFY hand-off between two connections (the least a hand-off from one engine's
 * check-in to another's check-out can take), and raw action lifecycles: workers that, like the engines of (c), send
 * one HTTP request per batch (JDK client and server) to a server that checks the batch in and claims the next one in
 * one JDBC transaction (an UPDATE, and an UPDATE of rows taken FOR UPDATE SKIP LOCKED) on a bare table.
 */
final class MachineFloor implements AutoCloseable {
    private static final String CHANNEL = "dart_bench_floor";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final HikariDataSource database;
    private final HttpServer server;
    private final URI uri;

    /** On the database at {@code jdbcUrl}, through a pool as the API's. */
    MachineFloor(String jdbcUrl) throws IOException, SQLException {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(20);
        this.database = new HikariDataSource(config);
        try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS bench_floor (id bigint PRIMARY KEY, state text NOT NULL)");
            s.execute("CREATE INDEX IF NOT EXISTS bench_floor_queued ON bench_floor (id) WHERE state = 'QUEUED'");
        }
        // without it the JDK's server writes headers and body as two packets and the client's delayed ACK holds the
        // second for 40 ms: that would measure a TCP timer, not the machine (the API's Netty sets TCP_NODELAY)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/checkins", exchange -> {
            // GET /checkins?max=N&done=1,2,3: a request without a body is one packet
            String[] query = exchange.getRequestURI().getQuery().split("&done=", 2);
            int max = Integer.parseInt(query[0].substring("max=".length()));
            String body = query.length > 1 ? query[1] : "";
            byte[] answer;
            try {
                answer = checkInAndClaim(ids(body), max).stream().map(String::valueOf)
                        .collect(Collectors.joining(",")).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            } catch (SQLException e) {
                answer = e.getMessage().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(500, answer.length);
            }
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
        uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/checkins?max=");
    }

    /** One transaction: the reported ids are done, and up to {@code max} queued ones are taken, oldest first. */
    private List<Long> checkInAndClaim(long[] done, int max) throws SQLException {
        try (Connection c = database.getConnection()) {
            c.setAutoCommit(false);
            if (done.length > 0) {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE bench_floor SET state = 'DONE' WHERE id = ANY(?) AND state = 'RUNNING'")) {
                    Array ids = c.createArrayOf("bigint", Arrays.stream(done).boxed().toArray());
                    ps.setArray(1, ids);
                    ps.executeUpdate();
                }
            }
            List<Long> claimed = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("UPDATE bench_floor SET state = 'RUNNING' WHERE id IN"
                    + " (SELECT id FROM bench_floor WHERE state = 'QUEUED' ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED)"
                    + " RETURNING id")) {
                ps.setInt(1, max);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        claimed.add(rs.getLong(1));
                    }
                }
            }
            c.commit();
            return claimed;
        }
    }

    private static long[] ids(String text) {
        return text.isBlank() ? new long[0] : Arrays.stream(text.split(",")).mapToLong(Long::parseLong).toArray();
    }

    /** Queues {@code count} rows in one statement. */
    private void queue(int count) throws SQLException {
        try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE bench_floor");
            s.execute("INSERT INTO bench_floor SELECT g, 'QUEUED' FROM generate_series(1, " + count + ") g");
            s.execute("ANALYZE bench_floor");
        }
    }

    /** Lifecycles per second of {@code workers} taking up to {@code batch} rows per request, as the engines of (c). */
    double lifecyclesPerSecond(int lifecycles, int workers, int batch) throws Exception {
        queue(lifecycles);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            long start = System.nanoTime();
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                running.add(pool.submit(() -> {
                    String held = "";
                    do {
                        held = roundTrip(held, batch);
                    } while (!held.isEmpty());
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
            return lifecycles / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdown();
        }
    }

    /** The median time of one lifecycle at a time: a request that checks one row in and claims the next. */
    double serialLifecycleMillis(int lifecycles) throws Exception {
        queue(lifecycles);
        List<Long> times = new ArrayList<>();
        String held = roundTrip("", 1);
        while (!held.isEmpty()) {
            long start = System.nanoTime();
            held = roundTrip(held, 1);
            times.add(System.nanoTime() - start);
        }
        Collections.sort(times);
        return times.get(times.size() / 2) / 1e6;
    }

    private String roundTrip(String held, int batch) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(uri.toString() + batch + "&done=" + held))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("the floor's server answered " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    /**
     * Hand-offs through LISTEN/NOTIFY: one connection commits a NOTIFY, another, waiting, receives it; answers the
     * sorted times in microseconds.
     */
    List<Long> notifyHandoffs(int count) throws Exception {
        List<Long> micros = new ArrayList<>();
        try (Connection listener = database.getConnection(); Connection sender = database.getConnection()) {
            listener.setAutoCommit(true);
            sender.setAutoCommit(true);
            try (Statement s = listener.createStatement()) {
                s.execute("LISTEN " + CHANNEL);
            }
            PGConnection pg = listener.unwrap(PGConnection.class);
            ExecutorService send = Executors.newSingleThreadExecutor();
            try {
                for (int i = 0; i < count; i++) {
                    long sent = System.nanoTime();
                    send.submit(() -> {
                        try (Statement s = sender.createStatement()) {
                            s.execute("NOTIFY " + CHANNEL);
                        }
                        return null;
                    });
                    PGNotification[] got;
                    do {
                        got = pg.getNotifications(10_000);
                    } while (got == null || got.length == 0);
                    micros.add((System.nanoTime() - sent) / 1_000);
                }
            } finally {
                send.shutdown();
            }
        }
        Collections.sort(micros);
        return micros;
    }

    @Override
    public void close() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdown();
        database.close();
    }
}
