package io.dartmart.engines.postgres;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.engines.postgres.DatasetSpec.LoadType;
import io.dartmart.engines.postgres.TableLoad.Target;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.List;

/**
 * Loads JSON objects that arrive in batches (pages of an API, say) into a table, in one transaction that stays open
 * from {@link #open} to {@link #commit()}, with the rules of {@link TableLoad}: the table is created from the columns
 * when missing; INSERT copies straight into it; MERGE and RELOAD_ALL copy into a temporary stage, and only the commit
 * merges it in (last row of each key wins) or replaces the table's rows by it. Readers see the table as it was until
 * the commit; {@link #close()} without a commit rolls everything back. Loads of one table wait for each other.
 */
public final class RecordLoad implements AutoCloseable {
    private final Connection connection;
    private final CopyManager copies;
    private final DatasetSpec spec;
    private final Target target;
    private final String copySql;
    private final JsonPointer[] paths;
    private long copied;
    private boolean committed;

    private RecordLoad(Connection connection, DatasetSpec spec, Target target, String into) throws SQLException {
        this.connection = connection;
        this.copies = connection.unwrap(PGConnection.class).getCopyAPI();
        this.spec = spec;
        this.target = target;
        this.copySql = "COPY " + into + " (" + Sql.names("column name", spec.columnNames())
                + ") FROM STDIN WITH (FORMAT csv, ENCODING 'UTF8')";
        this.paths = StageCopy.pointers(spec.columns());
    }

    /**
     * Starts a load.
     *
     * @param columns   the columns as a dataset describes them ({@code name, data_type, is_nullable, path}); a
     *                  column's path ({@code $.a.b[0]}) says where its value is in each object
     * @param mergeKeys the columns a MERGE matches rows on (and the primary key of a table created here)
     * @param loadType  INSERT, MERGE or RELOAD_ALL
     * @throws IllegalArgumentException when the columns, keys, load type or table names cannot be loaded
     * @throws IllegalStateException    when the database refused
     */
    public static RecordLoad open(Warehouse warehouse, String schema, String table, JsonNode columns,
                                  List<String> mergeKeys, String loadType) {
        LoadType type;
        try {
            type = LoadType.valueOf(loadType);
        } catch (IllegalArgumentException e) {
            type = null;
        }
        if (type == null || type == LoadType.RELOAD_LAST) {
            throw new IllegalArgumentException("load_type must be INSERT, MERGE or RELOAD_ALL, not " + loadType);
        }
        List<DatasetSpec.Column> parsed = DatasetSpec.columns(columns);
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException("no columns to load: give columns or a dataset_id with columns");
        }
        DatasetSpec spec = new DatasetSpec(table, table, "", type,
                new DatasetSpec.TextFormat(true, ",", null, null, null, 0), parsed, List.copyOf(mergeKeys),
                List.copyOf(mergeKeys), List.of(), false);
        Target target = new Target(schema, table);
        // refuses names PostgreSQL cannot hold before connecting
        target.sql();
        Connection c = warehouse.connect(false, null);
        try {
            TableLoad.lock(c, "dart load " + target);
            if (TableLoad.columnsOf(c, target).isEmpty()) {
                TableLoad.createTable(c, spec, target);
            } else {
                TableLoad.requireColumns(c, spec, target);
            }
            String into = target.sql();
            if (type != LoadType.INSERT) {
                if (type == LoadType.MERGE) {
                    TableLoad.requireMergeKeys(spec);
                }
                TableLoad.createStage(c, spec, target);
                into = TableLoad.STAGE;
            }
            return new RecordLoad(c, spec, target, into);
        } catch (SQLException | RuntimeException e) {
            rollbackAndClose(c);
            if (e instanceof SQLException s) {
                throw new IllegalStateException("preparing the load of " + target + " failed: " + Failures.message(s), s);
            }
            throw (RuntimeException) e;
        }
    }

    /**
     * Copies a batch of objects into the table (INSERT) or the stage.
     *
     * @return the rows copied
     * @throws IllegalArgumentException when an element is not a JSON object
     * @throws IllegalStateException    with the database's message when it refused a row
     */
    public long write(Iterable<JsonNode> objects) {
        Iterator<JsonNode> it = objects.iterator();
        int[] index = {0};
        try {
            long rows = StageCopy.copyObjects(copies, copySql, paths, () -> {
                if (!it.hasNext()) {
                    return null;
                }
                JsonNode next = it.next();
                if (!next.isObject()) {
                    throw new IllegalArgumentException("record " + index[0] + " is not a JSON object but "
                            + next.getNodeType());
                }
                index[0]++;
                return next;
            });
            copied += rows;
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("loading into " + target + " failed: " + Failures.message(e), e);
        } catch (IOException e) {
            throw new IllegalStateException("loading into " + target + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Merges or swaps the stage in, as the load type says, and commits.
     *
     * @return the rows copied (merged, for a MERGE)
     */
    public long commit() {
        try {
            long rows = spec.loadType() == LoadType.MERGE ? TableLoad.merge(connection, spec, target) : copied;
            if (spec.loadType() == LoadType.RELOAD_ALL) {
                String columns = Sql.names("column name", spec.columnNames());
                TableLoad.update(connection, "DELETE FROM " + target.sql());
                TableLoad.update(connection, "INSERT INTO " + target.sql() + " (" + columns + ") SELECT " + columns
                        + " FROM " + TableLoad.STAGE + " ORDER BY " + TableLoad.SEQUENCE_COLUMN);
            }
            connection.commit();
            committed = true;
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("loading " + target + " failed, the table is left as it was: "
                    + Failures.message(e), e);
        }
    }

    /** Rolls back unless committed, and closes the connection. */
    @Override
    public void close() {
        if (!committed) {
            rollbackAndClose(connection);
        } else {
            Warehouse.closeQuietly(connection);
        }
    }

    private static void rollbackAndClose(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // closing the connection rolls back too
        }
        Warehouse.closeQuietly(c);
    }
}
