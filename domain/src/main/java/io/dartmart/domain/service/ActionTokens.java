package io.dartmart.domain.service;

import io.dartmart.domain.auth.Caller;
import io.dartmart.domain.auth.Role;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.Ids;
import io.dartmart.domain.store.Db;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The credential a launched engine task receives instead of an API key: {@code key:secret} good for its one action
 * only, and only while that action is PENDING or RUNNING, so a leaked copy (an ECS task's overrides, a process
 * listing) is worth nothing once the action ends. Each launch issues a new one and voids the action's earlier ones.
 */
@Singleton
public class ActionTokens {
    /** Every token's key starts so; API keys never do, so a credential is looked up in one place only. */
    public static final String PREFIX = "dact_";

    private final Db db;

    public ActionTokens(Db db) {
        this.db = db;
    }

    /** A new {@code key:secret} for {@code action}, inside the transaction that claimed it for launch. */
    public String issue(Connection c, Entity action) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM action_token WHERE action_id = ?")) {
            ps.setString(1, action.id());
            ps.executeUpdate();
        }
        String key = PREFIX + Ids.newToken(24);
        String secret = Ids.newToken(40);
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO action_token (key, secret_sha256, action_id) VALUES (?, ?, ?)")) {
            ps.setString(1, key);
            ps.setString(2, ApiKeys.hash(secret));
            ps.setString(3, action.id());
            ps.executeUpdate();
        }
        return key + ":" + secret;
    }

    /** The caller a token stands for while its action is PENDING or RUNNING. */
    public Optional<Caller> authenticate(String key, String secret) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT t.secret_sha256, a.id, a.engine_name"
                    + " FROM action_token t JOIN action a ON a.id = t.action_id"
                    + " WHERE t.key = ? AND a.state IN ('PENDING', 'RUNNING')")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || !MessageDigest.isEqual(rs.getString(1).getBytes(StandardCharsets.US_ASCII),
                            ApiKeys.hash(secret).getBytes(StandardCharsets.US_ASCII))) {
                        return Optional.empty();
                    }
                    String actionId = rs.getString(2);
                    return Optional.of(new Caller("action-" + actionId + "@dart.local", Role.ACTION_TOKEN,
                            rs.getString(3), actionId));
                }
            }
        });
    }

    /** Deletes the tokens of actions that have ended (they no longer authenticate anyway); answers how many. */
    public int purgeEnded() {
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM action_token t WHERE NOT EXISTS (SELECT 1"
                    + " FROM action a WHERE a.id = t.action_id AND a.state IN ('PENDING', 'RUNNING'))")) {
                return ps.executeUpdate();
            }
        });
    }
}
