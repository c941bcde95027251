package io.dartmart.domain.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.auth.Caller;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.execution.AdHocQueue;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.store.EntityStore;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/**
 * Datastores: args follow the engine's options schema; the server places the artifacts and logs paths; one that
 * becomes ACTIVE starts its waiting ad-hoc actions; deleting a datastore deletes its own actions (a workflow's
 * template steps are not its own and stay).
 */
@Singleton
public class DatastoreRules implements EntityRules {
    private final Engines engines;
    private final ArgsDocuments args;
    private final EntityStore store;
    private final String s3Root;
    private final AdHocQueue adHoc;

    public DatastoreRules(Engines engines, ArgsDocuments args, EntityStore store,
                          @Value("${dart.s3.datastores-root:s3://dart-datastores}") String s3Root,
                          AdHocQueue adHoc) {
        this.adHoc = adHoc;
        this.engines = engines;
        this.args = args;
        this.store = store;
        this.s3Root = s3Root.endsWith("/") ? s3Root.substring(0, s3Root.length() - 1) : s3Root;
    }

    @Override
    public EntityType type() {
        return EntityType.DATASTORE;
    }

    @Override
    public Set<String> editableFields() {
        return Set.of("name", "host", "port", "connection_url", "state", "concurrency", "args", "extra_data", "tags");
    }

    @Override
    public void afterValidate(Connection c, String id, Entity current, ObjectNode data, Caller caller) throws SQLException {
        Entity engine = engines.requireByName(c, data.path("engine_name").asText(), "/data/engine_name");
        JsonNode options = engine.data().get("options_json_schema");
        args.prepare(data, current == null ? null : current.data().get("args"),
                options == null || options.isNull() ? null : options, "/data/args");
        if (current == null) {
            String template = data.path("workflow_datastore_id").asText(null);
            if (template != null && store.find(c, EntityType.DATASTORE, template).isEmpty()) {
                throw new InvalidInputException("/data/workflow_datastore_id: datastore '" + template
                        + "' does not exist");
            }
            String folder = s3Root + "/" + engine.text("name") + "/"
                    + data.path("name").asText().replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + id;
            data.put("s3_artifacts_path", folder + "/artifacts");
            data.put("s3_logs_path", folder + "/logs");
        }
    }

    @Override
    public void afterUpdate(Connection c, Entity before, Entity after) throws SQLException {
        if ("ACTIVE".equals(after.text("state")) && !"ACTIVE".equals(before.text("state"))) {
            adHoc.tryNext(c, after.id());
        }
    }

    @Override
    public void beforeDelete(Connection c, Entity datastore) throws SQLException {
        store.deleteWhere(c, EntityType.ACTION, "datastore_id", datastore.id());
    }
}
