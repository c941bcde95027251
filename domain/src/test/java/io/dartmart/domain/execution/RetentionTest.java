package io.dartmart.domain.execution;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Ids;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.model.Timestamps;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.domain.testing.TestDatabase;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What retention deletes and what it keeps, on a real PostgreSQL: bookkeeping past 14 days, log lines past 30, and,
 * with {@code dart.retention.runs} set, finished runs past it with their actions and cloned datastores.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetentionTest {
    private ApplicationContext context;
    private Db db;
    private EntityStore store;
    private final Instant now = Instant.now();

    @BeforeAll
    void start() {
        Map<String, Object> props = new HashMap<>(TestDatabase.datasourceProperties());
        props.put("flyway.datasources.default.enabled", true);
        props.put("dart.secrets.key", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
        props.put("dart.retention.runs", "1d");
        context = ApplicationContext.builder().properties(props).deduceEnvironment(false).start();
        db = context.getBean(Db.class);
        store = context.getBean(EntityStore.class);
    }

    @AfterAll
    void stop() {
        context.close();
    }

    private Timestamp ago(Duration d) {
        return Timestamp.from(now.minus(d));
    }

    private void sql(String sql, Object... values) {
        db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < values.length; i++) {
                    ps.setObject(i + 1, values[i]);
                }
                return ps.executeUpdate();
            }
        });
    }

    private boolean exists(String sql, Object... values) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (" + sql + ")")) {
                for (int i = 0; i < values.length; i++) {
                    ps.setObject(i + 1, values[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBoolean(1);
                }
            }
        });
    }

    @Test
    void bookkeepingIsDeletedAfterItsRetentionButWhatIsStillNeededIsKept() {
        String sentOld = Ids.newToken(24);
        String sentNew = Ids.newToken(24);
        String unsentOld = Ids.newToken(24);
        sql("INSERT INTO outbox (id, created, body, sent) VALUES (?, ?, '{}', ?)", sentOld, ago(Duration.ofDays(20)),
                ago(Duration.ofDays(20)));
        sql("INSERT INTO outbox (id, created, body, sent) VALUES (?, ?, '{}', ?)", sentNew, ago(Duration.ofDays(1)),
                ago(Duration.ofDays(1)));
        sql("INSERT INTO outbox (id, created, body) VALUES (?, ?, '{}')", unsentOld, ago(Duration.ofDays(20)));
        String processedOld = Ids.newToken(24);
        String processedNew = Ids.newToken(24);
        sql("INSERT INTO processed_message (id, processed) VALUES (?, ?)", processedOld, ago(Duration.ofDays(15)));
        sql("INSERT INTO processed_message (id, processed) VALUES (?, ?)", processedNew, ago(Duration.ofDays(13)));
        String trigger = Ids.newId();
        sql("INSERT INTO trigger_fire (trigger_id, fire_time) VALUES (?, ?)", trigger, ago(Duration.ofDays(30)));
        sql("INSERT INTO trigger_fire (trigger_id, fire_time) VALUES (?, ?)", trigger, ago(Duration.ofDays(20)));
        String loggedAction = Ids.newId();
        sql("INSERT INTO action_log (action_id, created, stream, line) VALUES (?, ?, 'stdout', 'old')", loggedAction,
                ago(Duration.ofDays(31)));
        sql("INSERT INTO action_log (action_id, created, stream, line) VALUES (?, ?, 'stdout', 'new')", loggedAction,
                ago(Duration.ofDays(29)));

        assertTrue(context.getBean(Retention.class).prune() >= 4);

        assertFalse(exists("SELECT 1 FROM outbox WHERE id = ?", sentOld));
        assertTrue(exists("SELECT 1 FROM outbox WHERE id = ?", sentNew));
        assertTrue(exists("SELECT 1 FROM outbox WHERE id = ?", unsentOld), "an unsent message is never deleted");
        assertFalse(exists("SELECT 1 FROM processed_message WHERE id = ?", processedOld));
        assertTrue(exists("SELECT 1 FROM processed_message WHERE id = ?", processedNew));
        assertFalse(exists("SELECT 1 FROM trigger_fire WHERE trigger_id = ? AND fire_time = ?", trigger,
                ago(Duration.ofDays(30))));
        assertTrue(exists("SELECT 1 FROM trigger_fire WHERE trigger_id = ? AND fire_time = ?", trigger,
                ago(Duration.ofDays(20))), "a trigger's latest fire is kept: its next fire is counted from it");
        assertFalse(exists("SELECT 1 FROM action_log WHERE action_id = ? AND line = 'old'", loggedAction));
        assertTrue(exists("SELECT 1 FROM action_log WHERE action_id = ? AND line = 'new'", loggedAction));
    }

    private Entity run(String state, Duration endedAgo, Entity datastore) {
        return db.tx(c -> {
            ObjectNode data = Json.object();
            data.put("workflow_id", "W1");
            data.put("datastore_id", datastore.id());
            data.put("state", state);
            if (endedAgo != null) {
                data.put("end_time", Timestamps.format(now.minus(endedAgo)));
            }
            Entity instance = store.insert(c, EntityType.WORKFLOW_INSTANCE, data);
            ObjectNode action = Json.object();
            action.put("name", "step");
            action.put("state", "COMPLETED");
            action.put("workflow_instance_id", instance.id());
            action.put("datastore_id", datastore.id());
            store.insert(c, EntityType.ACTION, action);
            return instance;
        });
    }

    private Entity clonedDatastore() {
        return db.tx(c -> {
            ObjectNode data = Json.object();
            data.put("name", "clone-" + Ids.newId());
            data.put("state", "ACTIVE");
            data.put("workflow_datastore_id", "TEMPLATE1");
            return store.insert(c, EntityType.DATASTORE, data);
        });
    }

    @Test
    void finishedRunsPastTheirRetentionGoWithTheirActionsAndClonedDatastores() {
        Entity oldClone = clonedDatastore();
        Entity old = run("COMPLETED", Duration.ofDays(2), oldClone);
        Entity sharedClone = clonedDatastore();
        Entity oldOnShared = run("FAILED", Duration.ofDays(3), sharedClone);
        Entity recentOnShared = run("COMPLETED", Duration.ofHours(1), sharedClone);
        Entity runningClone = clonedDatastore();
        Entity running = run("RUNNING", null, runningClone);

        context.getBean(Retention.class).prune();

        assertFalse(exists("SELECT 1 FROM workflow_instance WHERE id = ?", old.id()));
        assertFalse(exists("SELECT 1 FROM action WHERE workflow_instance_id = ?", old.id()));
        assertFalse(exists("SELECT 1 FROM datastore WHERE id = ?", oldClone.id()), "its cloned datastore goes too");
        assertFalse(exists("SELECT 1 FROM workflow_instance WHERE id = ?", oldOnShared.id()));
        assertTrue(exists("SELECT 1 FROM datastore WHERE id = ?", sharedClone.id()), "a clone still used stays");
        assertTrue(exists("SELECT 1 FROM workflow_instance WHERE id = ?", recentOnShared.id()));
        assertTrue(exists("SELECT 1 FROM action WHERE workflow_instance_id = ?", recentOnShared.id()));
        assertTrue(exists("SELECT 1 FROM workflow_instance WHERE id = ?", running.id()), "a live run is never deleted");
        assertTrue(exists("SELECT 1 FROM datastore WHERE id = ?", runningClone.id()));
    }
}
