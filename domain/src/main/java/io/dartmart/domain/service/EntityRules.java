package io.dartmart.domain.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.auth.Caller;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/**
 * What is particular to one entity type: which fields a PUT may change, the server-owned fields it fills, the
 * cross-entity checks, and what else goes when it is deleted. The generic flow lives in {@link Entities}.
 */
public interface EntityRules {
    EntityType type();

    /** Fields a PUT or PATCH may change; the others in a body are read-only and silently kept. */
    Set<String> editableFields();

    /** Whether {@code POST /<entity>} exists; some entities are only created under a parent route. */
    default boolean creatableAtTopLevel() {
        return true;
    }

    /**
     * Checks of the request's document alone that cost CPU, such as compiling a user's regular expression: made
     * before the transaction opens, so that no such work holds one open. {@code data} is what the client sent (on
     * PATCH, the patched document); the checks inside the transaction still run, on what was checked here.
     */
    default void checkBeforeTransaction(ObjectNode data) {
    }

    /** Called on the validated document of a new entity, inside the creating transaction. */
    default void beforeCreate(Connection c, ObjectNode data, Caller caller) throws SQLException {
    }

    /**
     * Called on the merged document of an update, before validation; {@code incoming} is what the client sent for
     * the editable fields.
     */
    default void beforeUpdate(Connection c, Entity current, ObjectNode merged, Caller caller) throws SQLException {
    }

    /**
     * Called after validation of a create ({@code current} null) or an update, e.g. to check args against an
     * engine schema; {@code id} is the entity's id, already chosen on create.
     */
    default void afterValidate(Connection c, String id, Entity current, ObjectNode data, Caller caller)
            throws SQLException {
    }

    /** Called with the stored result of an update that changed the entity, inside the updating transaction. */
    default void afterUpdate(Connection c, Entity before, Entity after) throws SQLException {
    }

    /** Deletes what belongs to the entity; runs in the deleting transaction, before the entity itself goes. */
    default void beforeDelete(Connection c, Entity entity) throws SQLException {
    }
}
