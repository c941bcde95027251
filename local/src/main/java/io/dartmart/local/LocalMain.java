package io.dartmart.local;

import io.dartmart.api.ApiMain;
import io.dartmart.domain.schema.SecretCipher;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code ./dart local}: the whole platform in one JVM. It starts an embedded PostgreSQL whose data persists under
 * the data directory, then the API on it. Ctrl-C or SIGTERM stops the API first and the database last.
 */
public final class LocalMain {
    private LocalMain() {
    }

    public static void main(String[] args) throws IOException {
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

        EmbeddedPostgres postgres;
        try {
            postgres = startPostgres(data);
        } catch (IllegalStateException e) {
            System.err.println("dart: " + data + " is in use by another dart (" + e.getMessage() + ");"
                    + " stop it, or pick another --data-dir");
            System.exit(1);
            return;
        }


        Map<String, Object> properties = new HashMap<>();
        properties.put("datasources.default.url", postgres.getJdbcUrl("postgres", "postgres"));
        properties.put("datasources.default.username", "postgres");
        properties.put("datasources.default.password", "");
        properties.put("micronaut.server.port", options.port());
        properties.put("dart.admin-key-file", data.resolve("admin.key").toString());
        properties.put("dart.s3.datastores-root", "s3://dart-local/datastores");
        if (System.getenv("DART_SECRETS_KEY") == null) {
            properties.put("dart.secrets.key", secretsKey(data.resolve("secrets.key")));
        }

        // Micronaut's own hook stops the API; this one waits for that, then stops the database under it. It is
        // installed before the API starts because Micronaut exits the JVM itself when startup fails.
        AtomicReference<ApplicationContext> context = new AtomicReference<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            awaitStopped(context.get());
            try {
                postgres.close();
            } catch (IOException e) {
                System.err.println("dart: embedded PostgreSQL did not stop cleanly: " + e.getMessage());
            }
        }, "dart-local-shutdown"));
        context.set(Micronaut.build(new String[0]).mainClass(ApiMain.class).banner(false)
                .properties(properties).start());
        System.out.println("dart: ready on http://localhost:" + options.port() + "  (data in " + data
                + "; API docs at /apidocs; Ctrl-C stops everything)");
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

    private static EmbeddedPostgres startPostgres(Path data) throws IOException {
        return EmbeddedPostgres.builder()
                .setDataDirectory(data.resolve("postgres"))
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setPort(freePort())
                .setServerConfig("max_connections", "100")
                .start();
    }

    /** The key that encrypts secrets at rest; made once per data directory and kept for the owner only. */
    private static String secretsKey(Path file) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        String key = SecretCipher.newKey();
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, key + "\n", StandardCharsets.UTF_8);
        return key;
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
