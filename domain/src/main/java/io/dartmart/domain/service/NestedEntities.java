package io.dartmart.domain.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.auth.Caller;
import io.dartmart.domain.auth.Scope;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.execution.AdHocQueue;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.state.ActionState;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.EntityStore;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The creation routes under a parent: a workflow on a datastore, a workflow's steps, ad-hoc actions on a
 * datastore, a subscription on a dataset, a subgraph definition of an engine. The parent decides the
 * server-owned fields of the child.
 */
@Singleton
public class NestedEntities {
    private final Db db;
    private final EntityStore store;
    private final Entities entities;
    private final AdHocQueue adHoc;

    public NestedEntities(Db db, EntityStore store, Entities entities, AdHocQueue adHoc) {
        this.adHoc = adHoc;
        this.db = db;
        this.store = store;
        this.entities = entities;
    }

    public Entity workflowOnDatastore(String datastoreId, JsonNode body, Caller caller) {
        ObjectNode data = Entities.dataOf(body, "");
        return db.tx(c -> workflowIn(c, store.get(c, EntityType.DATASTORE, datastoreId), data, caller));
    }

    /** Creates a workflow on {@code datastore} inside the caller's transaction. */
    public Entity workflowIn(Connection c, Entity datastore, ObjectNode data, Caller caller) throws SQLException {
        placeWorkflow(data, datastore);
        return entities.createIn(c, EntityType.WORKFLOW, data, caller);
    }

    /** The server-owned fields of a workflow, from its datastore. */
    static void placeWorkflow(ObjectNode data, Entity datastore) {
        data.put("datastore_id", datastore.id());
        data.put("engine_name", datastore.text("engine_name"));
        if ("ACTIVE".equals(datastore.text("state"))) {
            // an ACTIVE datastore is a single shared resource: runs on it cannot overlap
            data.put("concurrency", 1);
        }
    }

    /** The workflow's steps: TEMPLATE actions, in the order given, after any it already has. */
    public List<Entity> actionsOnWorkflow(String workflowId, JsonNode body, Caller caller) {
        List<ObjectNode> items = actionBodies(body);
        return db.tx(c -> {
            Entity workflow = store.get(c, EntityType.WORKFLOW, workflowId);
            List<Entity> created = new ArrayList<>();
            for (ObjectNode data : items) {
                created.add(stepIn(c, workflow, data, caller));
            }
            return created;
        });
    }

    /**
     * Creates one step of {@code workflow} inside the caller's transaction; without a numeric {@code order_idx} it
     * goes after the steps the workflow already has.
     */
    public Entity stepIn(Connection c, Entity workflow, ObjectNode data, Caller caller) throws SQLException {
        data.put("state", ActionState.TEMPLATE.name());
        data.set("datastore_id", NullNode.getInstance());
        data.put("workflow_id", workflow.id());
        data.set("workflow_instance_id", NullNode.getInstance());
        data.put("engine_name", workflow.text("engine_name"));
        JsonNode idx = data.get("order_idx");
        if (idx == null || !idx.isNumber()) {
            data.put("order_idx", maxOrderIdx(c, workflow.id()).add(BigDecimal.ONE));
        }
        return entities.createIn(c, EntityType.ACTION, data, caller);
    }

    /**
     * Ad-hoc actions on a datastore: created HAS_NEVER_RUN (a state in the body is the server's to set), then queued
     * by the platform one at a time while the datastore is ACTIVE.
     */
    public List<Entity> actionsOnDatastore(String datastoreId, JsonNode body, Caller caller) {
        List<ObjectNode> items = actionBodies(body);
        return db.tx(c -> {
            Entity datastore = store.get(c, EntityType.DATASTORE, datastoreId);
            List<Entity> created = new ArrayList<>();
            for (ObjectNode data : items) {
                created.add(adHocActionIn(c, datastore, data, caller));
            }
            // answer each action as it is now: the one the platform queued at once in its new state
            for (Entity queued : adHoc.tryNext(c, datastore.id())) {
                created.replaceAll(a -> a.id().equals(queued.id()) ? queued : a);
            }
            return created;
        });
    }

    /**
     * Creates one ad-hoc action on {@code datastore} inside the caller's transaction, HAS_NEVER_RUN; the caller then
     * lets the platform queue the next ones with {@link #queueAdHoc}, once all are created.
     */
    public Entity adHocActionIn(Connection c, Entity datastore, ObjectNode data, Caller caller) throws SQLException {
        data.put("state", ActionState.HAS_NEVER_RUN.name());
        data.put("datastore_id", datastore.id());
        data.set("workflow_id", NullNode.getInstance());
        data.set("workflow_instance_id", NullNode.getInstance());
        data.put("engine_name", datastore.text("engine_name"));
        return entities.createIn(c, EntityType.ACTION, data, caller);
    }

    /** The ad-hoc actions the platform queued now on these datastores, in their new state. */
    public List<Entity> queueAdHoc(Connection c, Collection<String> datastoreIds) throws SQLException {
        return adHoc.tryNext(c, datastoreIds);
    }

    public Entity subscriptionOnDataset(String datasetId, JsonNode body, Caller caller) {
        ObjectNode data = Entities.dataOf(body, "");
        entities.rules(EntityType.SUBSCRIPTION).checkBeforeTransaction(data);
        return db.tx(c -> subscriptionIn(c, store.get(c, EntityType.DATASET, datasetId), data, caller));
    }

    /** Creates a subscription on {@code dataset} inside the caller's transaction. */
    public Entity subscriptionIn(Connection c, Entity dataset, ObjectNode data, Caller caller) throws SQLException {
        entities.rules(EntityType.SUBSCRIPTION).checkBeforeTransaction(data);
        data.put("dataset_id", dataset.id());
        return entities.createIn(c, EntityType.SUBSCRIPTION, data, caller);
    }

    public Entity subgraphDefinitionOfEngine(String engineId, JsonNode body, Caller caller) {
        ObjectNode data = Entities.dataOf(body, "");
        return db.tx(c -> {
            Entity engine = store.get(c, EntityType.ENGINE, engineId);
            Scope.require(caller, engine, true);
            data.put("engine_name", engine.text("name"));
            return entities.createIn(c, EntityType.SUBGRAPH_DEFINITION, data, caller);
        });
    }

    /** One action ({@code {"data": ...}}) or a list of them. */
    private static List<ObjectNode> actionBodies(JsonNode body) {
        List<ObjectNode> out = new ArrayList<>();
        if (body != null && body.isArray()) {
            if (body.isEmpty()) {
                throw new InvalidInputException("the list of actions is empty");
            }
            int i = 0;
            for (JsonNode item : body) {
                out.add(Entities.dataOf(item, "/" + i++));
            }
        } else {
            out.add(Entities.dataOf(body, ""));
        }
        return out;
    }

    private static BigDecimal maxOrderIdx(Connection c, String workflowId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT max((data ->> 'order_idx')::numeric) FROM action"
                + " WHERE workflow_id = ? AND state = 'TEMPLATE'")) {
            ps.setString(1, workflowId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                BigDecimal max = rs.getBigDecimal(1);
                return max == null ? BigDecimal.valueOf(-1) : max;
            }
        }
    }
}
