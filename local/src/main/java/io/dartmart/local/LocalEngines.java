package io.dartmart.local;

import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Ids;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.service.ApiKeys;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.engines.noop.NoOpEngine;
import io.micronaut.context.ApplicationContext;

import java.util.List;

/**
 * The built-in engines of local mode, running as pull-mode workers inside the JVM and talking to the API over HTTP
 * like any engine. Each gets its own engine key for the session, revoked when local mode stops.
 */
final class LocalEngines {
    private static final int NO_OP_WORKERS = 4;

    private LocalEngines() {
    }

    static List<AutoCloseable> start(ApplicationContext context, String apiUrl) throws Exception {
        Db db = context.getBean(Db.class);
        ApiKeys keys = context.getBean(ApiKeys.class);
        String key = Ids.newToken(20);
        String secret = Ids.newToken(40);
        String keyId = db.tx(c -> {
            var data = Json.object();
            data.put("user_id", "no_op_engine@dart.local");
            data.put("role", "engine");
            data.put("engine_name", NoOpEngine.NAME);
            data.put("description", "the no_op_engine of local mode");
            return keys.create(c, data, key, secret).id();
        });
        var engine = NoOpEngine.builder().apiUrl(apiUrl).apiKey(key + ":" + secret).build();
        engine.register();
        var workers = engine.startPullWorkers(NO_OP_WORKERS);
        AutoCloseable revoke = () -> db.tx(c -> context.getBean(EntityStore.class).delete(c, EntityType.API_KEY, keyId));
        return List.of(workers, revoke);
    }
}
