package io.dartmart.domain.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.auth.Caller;
import io.dartmart.domain.auth.Role;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.filter.Filter;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Ids;
import io.dartmart.domain.schema.EntitySchemas;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.domain.store.ListQuery;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * API keys. A key is {@code key:secret}; the secret is random and long, so a SHA-256 of it is a safe stored form
 * and checking it costs microseconds on every request. The secret is shown once, at creation.
 */
@Singleton
public class ApiKeys {
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{8,128}");
    private static final String SECRET_HASH = "secret_sha256";

    private final Db db;
    private final EntityStore store;
    private final ActionTokens tokens;

    public ApiKeys(Db db, EntityStore store, ActionTokens tokens) {
        this.db = db;
        this.store = store;
        this.tokens = tokens;
    }

    /** A new key; the answer's data carries {@code key} and {@code secret}, which is never stored in clear. */
    public Entity create(JsonNode body) {
        ObjectNode data = Entities.dataOf(body, "");
        return db.tx(c -> create(c, data, Ids.newToken(20), Ids.newToken(40)));
    }

    public Entity create(Connection c, ObjectNode data, String key, String secret) throws SQLException {
        JsonNode engine = data.get("engine_name");
        EntitySchemas.validate(EntityType.API_KEY, data);
        if ("engine".equals(data.path("role").asText()) && (engine == null || engine.isNull() || engine.asText().isBlank())) {
            throw new InvalidInputException("/data/engine_name: required for the engine role");
        }
        if (!TOKEN.matcher(key).matches() || !TOKEN.matcher(secret).matches()) {
            throw new InvalidInputException("a key and its secret are 8 to 128 letters, digits, '-' or '_'");
        }
        if (key.startsWith(ActionTokens.PREFIX)) {
            throw new InvalidInputException("an API key may not start with '" + ActionTokens.PREFIX
                    + "', the mark of action tokens");
        }
        data.put("key", key);
        data.put(SECRET_HASH, hash(secret));
        Entity saved = store.insert(c, EntityType.API_KEY, data);
        ObjectNode shown = present(saved).data();
        shown.put("secret", secret);
        return saved.withData(shown);
    }

    /**
     * The caller a {@code key:secret} pair stands for, if it matches a key that has not been revoked, or an action
     * token whose action is still under way.
     */
    public Optional<Caller> authenticate(String key, String secret) {
        if (!TOKEN.matcher(key).matches() || !TOKEN.matcher(secret).matches()) {
            return Optional.empty();
        }
        if (key.startsWith(ActionTokens.PREFIX)) {
            return tokens.authenticate(key, secret);
        }
        List<Entity> found = db.read(c -> store.all(c, EntityType.API_KEY, ListQuery.of(List.of(Filter.eq("key", key)))));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode data = found.get(0).data();
        byte[] expected = data.path(SECRET_HASH).asText().getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, hash(secret).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        Role role = Role.fromWireName(data.path("role").asText()).orElseThrow();
        return Optional.of(new Caller(data.path("user_id").asText(), role, data.path("engine_name").asText(null)));
    }

    public boolean anyExists(Connection c) throws SQLException {
        return store.count(c, EntityType.API_KEY, List.of()) > 0;
    }

    /** The key as the API shows it: never the secret, nor its hash. */
    public static Entity present(Entity key) {
        ObjectNode data = key.data().deepCopy();
        data.remove(SECRET_HASH);
        return key.withData(data);
    }

    static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
