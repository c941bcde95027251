package io.dartmart.domain.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.auth.Caller;
import io.dartmart.domain.error.ErrorPaths;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.execution.InstanceProgress;
import io.dartmart.domain.filter.Filter;
import io.dartmart.domain.filter.OrderBy;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Envelopes;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.state.ActionState;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.domain.store.ListQuery;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;

/**
 * A workflow and its steps edited as one: the workflow's own fields, steps changed, added and deleted, in one
 * transaction, each change of a stored entity checked against the {@code version_id} the editor loaded. Saves of
 * the same workflow take its row lock, so two editors' saves apply one after the other, and the second sees the
 * first's versions.
 */
@Singleton
public class WorkflowSteps {
    /** At most this many changes in one save: a bound on the work of one request. */
    public static final int MAX_CHANGES = 1000;

    private final Db db;
    private final EntityStore store;
    private final Entities entities;
    private final NestedEntities nested;

    public WorkflowSteps(Db db, EntityStore store, Entities entities, NestedEntities nested) {
        this.db = db;
        this.store = store;
        this.entities = entities;
        this.nested = nested;
    }

    /**
     * Applies {@code {"workflow": {"version_id", "data"}, "steps": [{"id", "version_id", "data"} or {"data"}],
     * "deleted_steps": [{"id", "version_id"}]}} (every part optional) to workflow {@code workflowId}; answers
     * {@code {"workflow": ..., "steps": [...]}} with every step of the workflow after the save, by order_idx.
     */
    public ObjectNode save(String workflowId, JsonNode body, Caller caller) {
        if (body == null || !body.isObject()) {
            throw new InvalidInputException("the body must be a JSON object such as {\"workflow\": {\"version_id\": 1, "
                    + "\"data\": {...}}, \"steps\": [...], \"deleted_steps\": [...]}");
        }
        JsonNode steps = list(body, "steps");
        JsonNode deleted = list(body, "deleted_steps");
        if (steps.size() + deleted.size() > MAX_CHANGES) {
            throw new InvalidInputException("at most " + MAX_CHANGES + " steps changed or deleted in one save");
        }
        return db.tx(c -> {
            Entity workflow = store.getForUpdate(c, EntityType.WORKFLOW, workflowId);
            JsonNode workflowBody = body.get("workflow");
            if (workflowBody != null && !workflowBody.isNull()) {
                Entity current = workflow;
                workflow = ErrorPaths.located("/workflow", c, conn -> entities.updateIn(conn, current,
                        Entities.dataOf(workflowBody, ""), Entities.versionOf(workflowBody), caller));
            }
            Entity target = workflow;
            for (int i = 0; i < deleted.size(); i++) {
                JsonNode item = deleted.get(i);
                ErrorPaths.located("/deleted_steps/" + i, c, conn -> {
                    Entity step = stepOf(conn, target, item);
                    Integer expected = Entities.versionOf(item);
                    if (expected != null && expected != step.versionId()) {
                        throw EntityStore.staleVersion(EntityType.ACTION, step.id(), expected);
                    }
                    entities.deleteIn(conn, step);
                    return step;
                });
            }
            for (int i = 0; i < steps.size(); i++) {
                JsonNode item = steps.get(i);
                ErrorPaths.located("/steps/" + i, c, conn -> {
                    ObjectNode data = Entities.dataOf(item, "");
                    return item.hasNonNull("id")
                            ? entities.updateIn(conn, stepOf(conn, target, item), data, Entities.versionOf(item), caller)
                            : nested.stepIn(conn, target, data, caller);
                });
            }
            List<Entity> all = steps(c, workflow.id());
            try {
                InstanceProgress.checkDependencies(all);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("/steps: " + e.getMessage());
            }
            ObjectNode out = Json.object();
            out.set("workflow", Envelopes.of(workflow));
            ArrayNode stepArray = out.putArray("steps");
            all.forEach(s -> stepArray.add(Envelopes.of(s)));
            return out;
        });
    }

    private static JsonNode list(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return Json.array();
        }
        if (!node.isArray()) {
            throw new InvalidInputException("/" + field + ": must be an array");
        }
        return node;
    }

    /** The stored step an item names, locked; it must be one of {@code workflow}'s steps. */
    private Entity stepOf(Connection c, Entity workflow, JsonNode item) throws SQLException {
        String id = item.path("id").asText("");
        Entity step = store.getForUpdate(c, EntityType.ACTION, id);
        if (!Objects.equals(step.text("workflow_id"), workflow.id())
                || !ActionState.TEMPLATE.name().equals(step.text("state"))) {
            throw new InvalidInputException("/id: action '" + id + "' is not a step of workflow '" + workflow.id() + "'");
        }
        return step;
    }

    private List<Entity> steps(Connection c, String workflowId) throws SQLException {
        return store.list(c, EntityType.ACTION, new ListQuery(
                List.of(Filter.eq("workflow_id", workflowId), Filter.eq("state", ActionState.TEMPLATE.name())),
                List.of(new OrderBy(List.of("order_idx"), false)), ListQuery.MAX_LIMIT, 0)).items();
    }
}
