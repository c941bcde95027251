package io.dartmart.domain.error;

import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.SqlWork;

import java.sql.Connection;

/**
 * Errors about one item of a request that carries several: the item's JSON pointer goes in front of the message,
 * so the client sees which item was refused. A missing entity the item names is the client's mistake in the body
 * (400), not a missing route target.
 */
public final class ErrorPaths {
    private ErrorPaths() {
    }

    /** Runs {@code work} for the item at {@code where}; a refusal it raises names the item. */
    public static <T> T located(String where, Connection c, SqlWork<T> work) {
        try {
            return work.run(c);
        } catch (DartException e) {
            throw under(where, e);
        } catch (java.sql.SQLException e) {
            RuntimeException translated = Db.translate(e);
            throw translated instanceof DartException d ? under(where, d) : translated;
        }
    }

    private static DartException under(String where, DartException e) {
        String message = where + (e.getMessage().startsWith("/") ? "" : ": ") + e.getMessage();
        if (e instanceof InvalidInputException || e instanceof NotFoundException) {
            return new InvalidInputException(message);
        }
        if (e instanceof ConflictException) {
            return new ConflictException(message);
        }
        return e;
    }
}
