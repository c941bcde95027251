package io.dartmart.triggers.worker;

import com.fasterxml.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Handles one call of the trigger queue ({@code message.call}). Several handlers may take the same call. The
 * worker runs {@link #apply} for all of them in one transaction, together with the record that the message was
 * processed, so a redelivered message changes nothing twice; {@link #afterCommit} runs once that transaction has
 * committed, for effects outside the database (mail, HTTP callbacks), and must never throw.
 */
public interface CallHandler {
    /** The call this handler takes, e.g. {@code RUN_ENDED}. */
    String call();

    /** Database effects, inside the worker's transaction. */
    default void apply(Connection c, JsonNode message) throws SQLException {
    }

    /** Effects outside the database, after commit, at most once per message; failures are logged, not thrown. */
    default void afterCommit(JsonNode message) {
    }
}
