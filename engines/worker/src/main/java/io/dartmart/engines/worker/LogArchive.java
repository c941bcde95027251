package io.dartmart.engines.worker;

import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.EntityStore;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/**
 * Keeps the whole output of a finished engine task under its datastore's {@code s3_logs_path}, as
 * {@code <s3_logs_path>/<action id>.log}, next to the copy in the database that the API serves. An action whose
 * datastore has no logs path keeps only the database copy; a failing upload is logged and changes nothing else.
 */
@Singleton
public class LogArchive {
    private static final Logger LOG = LoggerFactory.getLogger(LogArchive.class);

    private final Db db;
    private final EntityStore store;
    private final jakarta.inject.Provider<S3Client> s3;
    private final boolean enabled;

    public LogArchive(Db db, EntityStore store, jakarta.inject.Provider<S3Client> s3,
                      @io.micronaut.context.annotation.Value("${dart.execution.logs-to-s3:true}") boolean enabled) {
        this.db = db;
        this.store = store;
        this.s3 = s3;
        this.enabled = enabled;
    }

    /** {@code s3://bucket/prefix} split into bucket and key prefix (ending with '/', or empty). */
    static Optional<String[]> location(String s3Path) {
        if (s3Path == null || !s3Path.startsWith("s3://") || s3Path.length() <= 5) {
            return Optional.empty();
        }
        String rest = s3Path.substring(5);
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix = prefix + "/";
        }
        return bucket.isEmpty() ? Optional.empty() : Optional.of(new String[]{bucket, prefix});
    }

    public void archive(String actionId) {
        if (!enabled) {
            return;
        }
        try {
            Optional<String[]> where = db.read(c -> store.find(c, EntityType.ACTION, actionId)
                    .map(a -> a.text("datastore_id"))
                    .flatMap(id -> findDatastore(c, id))
                    .flatMap(ds -> location(ds.text("s3_logs_path"))));
            if (where.isEmpty()) {
                return;
            }
            String text = db.read(c -> {
                StringBuilder out = new StringBuilder();
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT created, stream, line FROM action_log WHERE action_id = ? ORDER BY seq")) {
                    ps.setString(1, actionId);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.append(rs.getTimestamp(1).toInstant()).append(' ').append(rs.getString(2))
                                    .append(' ').append(rs.getString(3)).append('\n');
                        }
                    }
                }
                return out.toString();
            });
            String key = where.get()[1] + actionId + ".log";
            s3.get().putObject(PutObjectRequest.builder().bucket(where.get()[0]).key(key).contentType("text/plain")
                    .build(), RequestBody.fromString(text, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            LOG.warn("could not keep the log of action {} in S3: {}", actionId, e.getMessage());
        }
    }

    private Optional<Entity> findDatastore(java.sql.Connection c, String id) {
        try {
            return store.find(c, EntityType.DATASTORE, id);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
