package io.dartmart.domain.execution;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.model.Ids;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.model.Timestamps;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;

/**
 * Messages for the trigger queue, written in the transaction that decided them. The relay sends them after
 * commit; each carries its own id, which the consumer records so a redelivery has no second effect.
 */
@Singleton
public class Outbox {
    public static final String CHANNEL = "dart_outbox";
    private final Clock clock;

    public Outbox(Clock clock) {
        this.clock = clock;
    }

    /** Adds a message {@code {"call": call, ...fields}}; answers its id. */
    public String add(Connection c, String call, ObjectNode fields) throws SQLException {
        String id = Ids.newToken(24);
        ObjectNode body = Json.object();
        body.put("message_id", id);
        body.put("call", call);
        body.setAll(fields);
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO outbox (id, created, body) VALUES (?, ?, ?::jsonb)")) {
            ps.setString(1, id);
            ps.setObject(2, java.time.OffsetDateTime.ofInstant(Timestamps.now(clock), java.time.ZoneOffset.UTC));
            ps.setString(3, Json.write(body));
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, '')")) {
            ps.setString(1, CHANNEL);
            ps.execute();
        }
        return id;
    }
}
