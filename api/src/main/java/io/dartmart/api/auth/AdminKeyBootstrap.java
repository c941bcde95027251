package io.dartmart.api.auth;

import io.dartmart.domain.model.Ids;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.service.ApiKeys;
import io.dartmart.domain.store.Db;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.PreparedStatement;

/**
 * The first admin key of a fresh installation. With {@code DART_BOOTSTRAP_KEY=key:secret} set, that pair becomes
 * the admin key; otherwise, when {@code dart.admin-key-file} is set (local mode), a key is generated, printed once
 * and saved there for the owner only. Several copies starting at once agree through an advisory lock.
 */
@Singleton
public class AdminKeyBootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(AdminKeyBootstrap.class);
    private static final long LOCK_ID = 0x64617274L;

    private final Db db;
    private final ApiKeys keys;
    private final String bootstrapKey;
    private final String adminKeyFile;
    private final String adminUser;

    public AdminKeyBootstrap(Db db, ApiKeys keys,
                             @Value("${dart.bootstrap-key:}") String bootstrapKey,
                             @Value("${dart.admin-key-file:}") String adminKeyFile,
                             @Value("${dart.admin-user:admin@dart.local}") String adminUser) {
        this.db = db;
        this.keys = keys;
        this.bootstrapKey = bootstrapKey;
        this.adminKeyFile = adminKeyFile;
        this.adminUser = adminUser;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        String created = db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                ps.setLong(1, LOCK_ID);
                ps.execute();
            }
            if (keys.anyExists(c)) {
                return null;
            }
            String pair = bootstrapKey.isBlank() ? (adminKeyFile.isBlank() ? null
                    : Ids.newToken(20) + ":" + Ids.newToken(40)) : bootstrapKey.strip();
            if (pair == null) {
                return null;
            }
            int colon = pair.indexOf(':');
            if (colon <= 0) {
                throw new IllegalStateException("DART_BOOTSTRAP_KEY must be key:secret");
            }
            var data = Json.object();
            data.put("user_id", adminUser);
            data.put("role", "admin");
            data.put("description", "created at first start");
            keys.create(c, data, pair.substring(0, colon), pair.substring(colon + 1));
            return pair;
        });
        if (created == null) {
            return;
        }
        if (!bootstrapKey.isBlank()) {
            LOG.info("created the admin key given by DART_BOOTSTRAP_KEY for {}", adminUser);
            return;
        }
        writeKeyFile(Path.of(adminKeyFile), created);
        // printed, not logged: log pipelines keep copies, the console of a first local start does not
        System.out.println("dart: created the first admin key for " + adminUser + "\n  " + created
                + "\n  saved to " + adminKeyFile + " (readable by you only)");
    }

    private static void writeKeyFile(Path file, String pair) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, pair + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the admin key to " + file, e);
        }
    }
}
