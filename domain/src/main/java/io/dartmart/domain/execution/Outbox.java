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
import java.util.ArrayList;
import java.util.List;

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
        return addAll(c, call, List.of(fields)).get(0);
    }

    /** {@link #add} of several messages of one call in one statement; answers their ids in order. */
    public List<String> addAll(Connection c, String call, List<ObjectNode> fieldsList) throws SQLException {
        List<String> ids = new ArrayList<>(fieldsList.size());
        if (fieldsList.isEmpty()) {
            return ids;
        }
        String[] bodies = new String[fieldsList.size()];
        for (int i = 0; i < bodies.length; i++) {
            String id = Ids.newToken(24);
            ObjectNode body = Json.object();
            body.put("message_id", id);
            body.put("call", call);
            body.setAll(fieldsList.get(i));
            bodies[i] = Json.write(body);
            ids.add(id);
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox (id, created, body)"
                + " SELECT id, ?, body::jsonb FROM unnest(?::text[], ?::text[]) AS m(id, body)")) {
            ps.setObject(1, java.time.OffsetDateTime.ofInstant(Timestamps.now(clock), java.time.ZoneOffset.UTC));
            ps.setArray(2, c.createArrayOf("text", ids.toArray()));
            ps.setArray(3, c.createArrayOf("text", bodies));
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, '')")) {
            ps.setString(1, CHANNEL);
            ps.execute();
        }
        return ids;
    }
}
