package io.dartmart.engines.worker;

import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Ids;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.service.ApiKeys;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.EntityStore;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API keys launched engine tasks use: one engine-role key per engine per worker process, so a task can act only
 * for its own engine. They are revoked when the worker stops.
 */
public class LaunchKeys implements AutoCloseable {
    private final Db db;
    private final ApiKeys keys;
    private final EntityStore store;
    private final Map<String, String[]> byEngine = new ConcurrentHashMap<>();

    public LaunchKeys(Db db, ApiKeys keys, EntityStore store) {
        this.db = db;
        this.keys = keys;
        this.store = store;
    }

    /** {@code key:secret} for tasks of {@code engineName}. */
    public String forEngine(String engineName) {
        return byEngine.computeIfAbsent(engineName, name -> db.tx(c -> {
            var data = Json.object();
            data.put("user_id", "engine-worker@dart.local");
            data.put("role", "engine");
            data.put("engine_name", name);
            data.put("description", "tasks launched by engine worker " + ManagementFactory.getRuntimeMXBean().getName());
            String key = Ids.newToken(20);
            String secret = Ids.newToken(40);
            Entity created = keys.create(c, data, key, secret);
            return new String[]{created.id(), key + ":" + secret};
        }))[1];
    }

    @Override
    public void close() {
        byEngine.values().forEach(k -> {
            try {
                db.tx(c -> store.delete(c, EntityType.API_KEY, k[0]));
            } catch (RuntimeException ignored) {
                // the database is going away with us; an orphan key of a dead worker only allows its engine's actions
            }
        });
    }
}
