package io.dartmart.domain.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One kind of trigger. Implementations live in the triggers module, one class each; the domain only needs to
 * list them and check a trigger's args.
 */
public interface TriggerType {
    /** The {@code trigger_type_name} on the wire. */
    String name();

    String description();

    /** The JSON Schema of the trigger's {@code args}. */
    JsonNode paramsJsonSchema();

    /** Whether users may create triggers of this type; manual and retry are only ever fired by dart itself. */
    default boolean userCreatable() {
        return true;
    }

    /**
     * Checks what the schema cannot: that referenced entities exist, that a cron pattern parses. Args have
     * already been validated against {@link #paramsJsonSchema()}.
     */
    void checkArgs(Connection connection, ObjectNode args) throws SQLException;
}
