package io.dartmart.triggers.type;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.domain.trigger.TriggerType;
import jakarta.inject.Singleton;

import io.dartmart.domain.filter.Filter;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.store.ListQuery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.sql.SQLException;

/** Fires after ALL or ANY of other triggers fired. */
@Singleton
public class SuperTrigger implements TriggerType {
    public static final String NAME = "super";
    private static final JsonNode SCHEMA = Schemas.parse("""
            {"type": "object", "additionalProperties": false, "required": ["fire_after", "completed_trigger_ids"],
             "properties": {"fire_after": {"type": "string", "enum": ["ALL", "ANY"]},
               "completed_trigger_ids": {"type": "array", "minItems": 1, "uniqueItems": true,
                 "items": {"type": "string", "minLength": 1}}}}""");
    private final EntityStore store;

    public SuperTrigger(EntityStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Runs its workflows once ALL (or ANY) of completed_trigger_ids have fired; ALL keeps its progress "
                + "and starts again after firing.";
    }

    @Override
    public JsonNode paramsJsonSchema() {
        return SCHEMA;
    }

    /**
     * Tells the ACTIVE super triggers that list {@code fired} that it fired; answers those that fire now. ANY fires
     * at once; ALL records the progress and fires, emptying it, once every listed trigger has fired. Each super
     * trigger's row is locked meanwhile, so two triggers firing at once cannot both miss or both complete it.
     */
    public List<Entity> offer(Connection c, Entity fired) throws SQLException {
        List<Entity> due = new ArrayList<>();
        for (Entity s : store.all(c, EntityType.TRIGGER, ListQuery.of(List.of(Filter.eq("trigger_type_name", NAME),
                Filter.eq("state", "ACTIVE"), Filter.eq("args.completed_trigger_ids", fired.id()))))) {
            Entity locked = store.getForUpdate(c, EntityType.TRIGGER, s.id());
            JsonNode args = locked.data().path("args");
            if ("ANY".equals(args.path("fire_after").asText())) {
                due.add(locked);
                continue;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO super_trigger_progress"
                    + " (super_trigger_id, fired_trigger_id, fired) VALUES (?, ?, now()) ON CONFLICT DO NOTHING")) {
                ps.setString(1, locked.id());
                ps.setString(2, fired.id());
                ps.executeUpdate();
            }
            Set<String> needed = new HashSet<>();
            args.path("completed_trigger_ids").forEach(id -> needed.add(id.asText()));
            Set<String> have = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT fired_trigger_id FROM super_trigger_progress WHERE super_trigger_id = ?")) {
                ps.setString(1, locked.id());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        have.add(rs.getString(1));
                    }
                }
            }
            if (have.containsAll(needed)) {
                try (PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM super_trigger_progress WHERE super_trigger_id = ?")) {
                    ps.setString(1, locked.id());
                    ps.executeUpdate();
                }
                due.add(locked);
            }
        }
        return due;
    }

    @Override
    public void checkArgs(Connection c, ObjectNode args) throws SQLException {
        int i = 0;
        for (JsonNode id : args.path("completed_trigger_ids")) {
            ReferenceChecks.requireExists(store, c, EntityType.TRIGGER, id.asText(),
                    "/data/args/completed_trigger_ids/" + i++);
        }
    }
}
