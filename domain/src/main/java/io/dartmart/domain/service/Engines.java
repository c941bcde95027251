package io.dartmart.domain.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.filter.Filter;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.domain.store.ListQuery;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Looks up registered engines and the schemas they registered. */
@Singleton
public class Engines {
    private static final java.time.Duration RECENT = java.time.Duration.ofSeconds(1);

    private record Cached(Entity engine, long readAt) {
    }

    private final EntityStore store;
    private final java.util.Map<String, Cached> recent = new java.util.concurrent.ConcurrentHashMap<>();

    public Engines(EntityStore store) {
        this.store = store;
    }

    public Optional<Entity> byName(Connection c, String name) throws SQLException {
        if (name == null) {
            return Optional.empty();
        }
        List<Entity> found = store.all(c, EntityType.ENGINE, ListQuery.of(List.of(Filter.eq("name", name))));
        return found.stream().findFirst();
    }

    /**
     * The registration as of at most {@link #RECENT} ago: for the work package handed to an engine with each action,
     * where a second-old registration is as good as the current one and saves a query per action. Validation uses
     * {@link #byName}, always current.
     */
    public Optional<Entity> recentByName(Connection c, String name) throws SQLException {
        Cached cached = recent.get(name);
        long now = System.nanoTime();
        if (cached != null && now - cached.readAt() < RECENT.toNanos()) {
            return Optional.of(cached.engine());
        }
        Optional<Entity> engine = byName(c, name);
        engine.ifPresent(e -> recent.put(name, new Cached(e, now)));
        return engine;
    }

    public Entity requireByName(Connection c, String name, String where) throws SQLException {
        return byName(c, name).orElseThrow(() -> new InvalidInputException(
                where + ": engine '" + name + "' is not registered"));
    }

    /** The params schema of one action type of an engine; 400 naming the types it offers when it has none such. */
    public JsonNode actionTypeSchema(Entity engine, String actionTypeName, String where) {
        List<String> offered = new ArrayList<>();
        for (JsonNode t : engine.data().path("supported_action_types")) {
            String name = t.path("name").asText();
            if (name.equals(actionTypeName)) {
                JsonNode schema = t.get("params_json_schema");
                return schema == null || schema.isNull() ? null : schema;
            }
            offered.add(name);
        }
        throw new InvalidInputException(where + ": engine '" + engine.text("name") + "' has no action type '"
                + actionTypeName + "'; it offers " + (offered.isEmpty() ? "none" : String.join(", ", offered)));
    }
}
