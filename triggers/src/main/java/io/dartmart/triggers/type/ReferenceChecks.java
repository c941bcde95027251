package io.dartmart.triggers.type;

import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.store.EntityStore;

import java.sql.Connection;
import java.sql.SQLException;

/** Trigger args name other entities; they must exist when the trigger is saved. */
final class ReferenceChecks {
    private ReferenceChecks() {
    }

    static void requireExists(EntityStore store, Connection c, EntityType type, String id, String where)
            throws SQLException {
        if (store.find(c, type, id).isEmpty()) {
            throw new InvalidInputException(where + ": " + type.wireName() + " '" + id + "' does not exist");
        }
    }
}
