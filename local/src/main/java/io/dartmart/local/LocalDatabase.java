package io.dartmart.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The embedded PostgreSQL of local mode, under {@code <data-dir>/postgres}. It holds someone's data, so it runs with
 * fsync, synchronous commit and full page writes on (the embedding library turns them off by default). A JVM killed
 * before it could stop the database leaves its postmaster running, or a stale {@code postmaster.pid}; starting
 * again stops that postmaster first, unless a live local mode still holds the directory. Closing stops the database
 * even when it is still starting, so Ctrl-C during start-up leaves nothing behind. It listens on 127.0.0.1 only and
 * asks every connection for a password of its own, kept in the data directory: initdb trusts every local
 * connection, so on the first start the password is set and pg_hba.conf then asks for it.
 */
public final class LocalDatabase implements AutoCloseable {
    /** The lock file the embedding library holds while a JVM uses the directory. */
    private static final String LOCK_FILE = "epg-lock";
    private static final String PID_FILE = "postmaster.pid";
    private static final Duration STOP_PATIENCE = Duration.ofSeconds(30);

    private final Path dir;
    private final int port;
    private final String password;
    private EmbeddedPostgres postgres;
    private boolean starting;
    private volatile boolean ours;
    private boolean closed;

    LocalDatabase(Path dataDir, String password) {
        this(dataDir, password, 0);
    }

    /** A database on {@code port} at every start (0: a free port each time), so a restart keeps its clients' URL. */
    public LocalDatabase(Path dataDir, String password, int port) {
        this.dir = dataDir.resolve("postgres");
        this.password = password;
        this.port = port;
    }

    /** Starts the database; throws {@link IllegalStateException} when another live local mode uses the directory. */
    public LocalDatabase start() throws IOException {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("stopping");
            }
            starting = true;
        }
        EmbeddedPostgres started = null;
        try {
            stopLeftover(dir);
            ours = true;
            started = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPort(port == 0 ? freePort() : port)
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    // the server's log in the data directory (postgres/log), with every statement slower than a second
                    .setServerConfig("logging_collector", "on")
                    .setServerConfig("log_directory", "log")
                    .setServerConfig("log_filename", "postgresql-%a.log")
                    .setServerConfig("log_truncate_on_rotation", "on")
                    .setServerConfig("log_rotation_age", "1d")
                    .setServerConfig("log_min_duration_statement",
                            System.getProperty("dart.local.log-slow-ms", "1000"))
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setConnectConfig("password", password)
                    .start();
            requirePassword(started);
        } finally {
            synchronized (this) {
                postgres = started;
                starting = false;
                notifyAll();
            }
        }
        return this;
    }

    private void requirePassword(EmbeddedPostgres started) throws IOException {
        Path hba = dir.resolve("pg_hba.conf");
        if (!Files.readString(hba, StandardCharsets.UTF_8).contains("trust")) {
            return;
        }
        try (var c = started.getPostgresDatabase().getConnection(); var st = c.createStatement()) {
            // a literal: ALTER ROLE takes no bind parameters; the password is letters, digits, '-' and '_'
            st.execute("ALTER ROLE postgres PASSWORD '" + password + "'");
            Files.writeString(hba, "local all all scram-sha-256\nhost all all 127.0.0.1/32 scram-sha-256\n"
                    + "host all all ::1/128 scram-sha-256\n", StandardCharsets.UTF_8);
            st.execute("SELECT pg_reload_conf()");
        } catch (java.sql.SQLException e) {
            throw new IOException("could not set the embedded database's password: " + e.getMessage(), e);
        }
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    /**
     * Stops the postmaster that a dead earlier JVM left running on {@code dir}, and removes a {@code postmaster.pid}
     * whose process is gone (or is no postgres any more), so that PostgreSQL starts. Throws
     * {@link IllegalStateException} when a live JVM holds the directory's lock: that one is in use, not left over.
     */
    static void stopLeftover(Path dir) throws IOException {
        Path lock = dir.resolve(LOCK_FILE);
        if (Files.exists(lock)) {
            try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE);
                 FileLock held = channel.tryLock()) {
                if (held == null) {
                    throw new IllegalStateException("its database is locked by a running process");
                }
            }
        }
        stopPostmaster(dir);
    }

    /** Stops the postmaster that {@code dir}'s {@code postmaster.pid} names, if any, and removes a stale pid file. */
    public static void stopPostmaster(Path dir) throws IOException {
        Optional<ProcessHandle> postmaster = postmaster(dir);
        if (postmaster.isPresent()) {
            ProcessHandle p = postmaster.get();
            // SIGTERM: a smart shutdown, which waits for sessions, and the sessions of a dead JVM are gone
            p.destroy();
            if (!exited(p, STOP_PATIENCE)) {
                p.destroyForcibly();
                exited(p, STOP_PATIENCE);
            }
        }
        Files.deleteIfExists(dir.resolve(PID_FILE));
    }

    /** The live postgres process that {@code dir}'s pid file names; empty when none runs (the file may be stale). */
    public static Optional<ProcessHandle> postmaster(Path dir) throws IOException {
        Path pidFile = dir.resolve(PID_FILE);
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        long pid;
        try {
            pid = lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).strip());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        // a pid reused by some other program is not ours to stop
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false));
    }

    private static boolean exited(ProcessHandle p, Duration patience) {
        try {
            p.onExit().get(patience.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return !p.isAlive();
        }
    }

    /** Stops the database; when it is still starting, waits for that first, then stops it. */
    @Override
    public void close() throws IOException {
        EmbeddedPostgres toStop;
        synchronized (this) {
            closed = true;
            long deadline = System.nanoTime() + STOP_PATIENCE.toNanos();
            while (starting && System.nanoTime() < deadline) {
                try {
                    wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            toStop = postgres;
            postgres = null;
        }
        if (toStop != null) {
            toStop.close();
        } else if (ours) {
            // a start that failed or was cut short may still have left a postmaster
            stopPostmaster(dir);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
