package io.dartmart.engines.postgres;

import io.dartmart.engines.postgres.DatasetFiles.S3File;
import io.dartmart.engines.postgres.DatasetSpec.LoadType;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Loads files into a table in one transaction, as the dataset's load type says:
 * <ul>
 *   <li>INSERT appends the files not loaded before;</li>
 *   <li>MERGE copies the files not loaded before into a temporary stage, keeps the last row of each key (by
 *       {@code batch_merge_sort_keys}, then file and line order), deletes the target's rows with those keys and
 *       inserts the kept ones;</li>
 *   <li>RELOAD_ALL and RELOAD_LAST delete every row (DELETE, not TRUNCATE, so readers are not blocked) and copy all the
 *       files, or the last one.</li>
 * </ul>
 * Readers keep seeing the table as it was until the commit, and a failure rolls everything back, the table's creation
 * included. The files loaded are recorded in {@code dart_meta.loaded_files} in the same transaction, which is how a
 * re-run knows what not to load again. Loads of one table wait for each other (an advisory lock on its name).
 */
final class TableLoad {
    static final String TRACKING = "dart_meta.loaded_files";
    private static final String STAGE = "pg_temp.dart_stage";
    private static final String SEQUENCE_COLUMN = "__dart_load_seq";

    /** Where progress goes, as a fraction from 0 to 1. */
    @FunctionalInterface
    interface Progress {
        void report(double fraction) throws IOException, InterruptedException;
    }

    /** The table loaded into. */
    record Target(String schema, String table) {
        String sql() {
            return Sql.table(schema, table);
        }

        @Override
        public String toString() {
            return schema + "." + table;
        }
    }

    /**
     * What a load did: files and rows copied (merged, for a MERGE), and the files left out because they had been
     * loaded before (none for a reload).
     */
    record Result(int files, long rows, int alreadyLoaded) {
    }

    private TableLoad() {
    }

    /**
     * @param candidates the files in load order; those already loaded into {@code target} are left out unless the
     *                   load type reloads
     * @throws IllegalArgumentException when the dataset cannot be loaded into the target as it is
     * @throws IllegalStateException    when the database or S3 failed (the message says which file and why)
     */
    static Result run(Warehouse warehouse, S3Client s3, DatasetSpec dataset, Target target, List<S3File> candidates,
                      String actionId, Progress progress, BooleanSupplier stopped)
            throws IOException, InterruptedException {
        createTracking(warehouse);
        Connection c = warehouse.connect(false, null);
        try (c) {
            lock(c, "dart load " + target);
            if (columnsOf(c, target).isEmpty()) {
                createTable(c, dataset, target);
            } else {
                requireColumns(c, dataset, target);
            }
            LoadType type = dataset.loadType();
            List<S3File> files = filesToLoad(c, type, target, candidates);
            boolean reload = type == LoadType.RELOAD_ALL || type == LoadType.RELOAD_LAST;
            int alreadyLoaded = reload ? 0 : candidates.size() - files.size();
            if (files.isEmpty()) {
                if (reload) {
                    throw new IllegalStateException("no file to load into " + target + "; the table is left as it was");
                }
                c.commit();
                return new Result(0, 0, alreadyLoaded);
            }
            String copyInto = target.sql();
            if (type == LoadType.MERGE) {
                requireMergeKeys(dataset);
                createStage(c, dataset, target);
                copyInto = STAGE;
            } else if (type != LoadType.INSERT) {
                update(c, "DELETE FROM " + target.sql());
            }
            StageCopy copy = new StageCopy(c, s3, dataset, copyInto, stopped);
            long rows = 0;
            for (int i = 0; i < files.size(); i++) {
                rows += copy.copy(files.get(i));
                progress.report((i + 1.0) / (files.size() + 1));
            }
            if (type == LoadType.MERGE) {
                rows = merge(c, dataset, target);
            }
            record(c, type, target, files, actionId);
            c.commit();
            return new Result(files.size(), rows, alreadyLoaded);
        } catch (SQLException e) {
            throw new IllegalStateException("loading " + target + " failed, the table is left as it was: "
                    + Failures.message(e), e);
        }
    }

    /** The tracking table, made once per database; concurrent first loads wait for each other. */
    private static void createTracking(Warehouse warehouse) {
        Connection c = warehouse.connect(false, null);
        try (c) {
            lock(c, "dart_meta");
            update(c, "CREATE SCHEMA IF NOT EXISTS dart_meta");
            update(c, "CREATE TABLE IF NOT EXISTS " + TRACKING + " (target_schema text NOT NULL,"
                    + " target_table text NOT NULL, s3_path text NOT NULL, action_id text,"
                    + " loaded_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (target_schema, target_table, s3_path))");
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("creating " + TRACKING + ", where loaded files are recorded, failed: "
                    + Failures.message(e), e);
        }
    }

    private static void lock(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
            s.setString(1, name);
            s.execute();
        }
    }

    /** The table's column names; empty when it does not exist. */
    private static Set<String> columnsOf(Connection c, Target target) throws SQLException {
        Set<String> columns = new HashSet<>();
        try (PreparedStatement s = c.prepareStatement("SELECT attname FROM pg_catalog.pg_attribute"
                + " WHERE attrelid = to_regclass(?) AND attnum > 0 AND NOT attisdropped")) {
            s.setString(1, target.sql());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    columns.add(r.getString(1));
                }
            }
        }
        return columns;
    }

    private static void requireColumns(Connection c, DatasetSpec dataset, Target target) throws SQLException {
        Set<String> present = columnsOf(c, target);
        List<String> missing = dataset.columnNames().stream().filter(n -> !present.contains(n)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the table " + target + " has no column " + String.join(", ", missing)
                    + " of dataset " + dataset.name() + " (names compare exactly, case included)");
        }
    }

    private static void createTable(Connection c, DatasetSpec dataset, Target target) throws SQLException {
        String columns = dataset.columns().stream()
                .map(col -> Sql.name("column name", col.name()) + " " + col.sqlType() + (col.nullable() ? "" : " NOT NULL"))
                .collect(Collectors.joining(", "));
        String key = dataset.primaryKeys().isEmpty() ? ""
                : ", PRIMARY KEY (" + Sql.names("primary_keys", dataset.primaryKeys()) + ")";
        update(c, "CREATE SCHEMA IF NOT EXISTS " + Sql.name("target_schema_name", target.schema()));
        update(c, "CREATE TABLE " + target.sql() + " (" + columns + key + ")");
    }

    private static List<S3File> filesToLoad(Connection c, LoadType type, Target target, List<S3File> candidates)
            throws SQLException {
        if (type == LoadType.RELOAD_ALL) {
            return candidates;
        }
        if (type == LoadType.RELOAD_LAST) {
            return candidates.isEmpty() ? List.of() : List.of(candidates.get(candidates.size() - 1));
        }
        Set<String> loaded = new HashSet<>();
        try (PreparedStatement s = c.prepareStatement("SELECT s3_path FROM " + TRACKING
                + " WHERE target_schema = ? AND target_table = ? AND s3_path = ANY (?)")) {
            s.setString(1, target.schema());
            s.setString(2, target.table());
            Array paths = c.createArrayOf("text", candidates.stream().map(S3File::path).toArray());
            s.setArray(3, paths);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    loaded.add(r.getString(1));
                }
            }
        }
        List<S3File> files = new ArrayList<>();
        for (S3File f : candidates) {
            if (!loaded.contains(f.path())) {
                files.add(f);
            }
        }
        return files;
    }

    private static void requireMergeKeys(DatasetSpec dataset) {
        if (dataset.mergeKeys().isEmpty()) {
            throw new IllegalArgumentException("dataset " + dataset.name()
                    + " loads by MERGE but names no merge_keys nor primary_keys to match rows on");
        }
    }

    /**
     * A temporary table of the dataset's columns, typed as the target's but without its keys, constraints and
     * defaults (which would refuse the duplicates the merge resolves, or rows without the target's own identity
     * column), numbering rows in load order; dropped at commit.
     */
    private static void createStage(Connection c, DatasetSpec dataset, Target target) throws SQLException {
        update(c, "CREATE TEMP TABLE dart_stage ON COMMIT DROP AS SELECT "
                + Sql.names("column name", dataset.columnNames()) + " FROM " + target.sql() + " WITH NO DATA");
        update(c, "ALTER TABLE " + STAGE + " ADD COLUMN " + SEQUENCE_COLUMN + " bigint GENERATED ALWAYS AS IDENTITY");
    }

    /** Replaces the target's rows whose keys the stage holds by the stage's last row of each key; the rows merged. */
    private static long merge(Connection c, DatasetSpec dataset, Target target) throws SQLException {
        String keys = Sql.names("merge_keys", dataset.mergeKeys());
        String matches = dataset.mergeKeys().stream().map(k -> "t." + Sql.name("merge_keys", k) + " = s."
                + Sql.name("merge_keys", k)).collect(Collectors.joining(" AND "));
        update(c, "DELETE FROM " + target.sql() + " t USING " + STAGE + " s WHERE " + matches);
        String lastFirst = dataset.batchMergeSortKeys().stream()
                .map(k -> Sql.name("batch_merge_sort_keys", k) + " DESC NULLS LAST")
                .map(k -> k + ", ").collect(Collectors.joining());
        String columns = Sql.names("column name", dataset.columnNames());
        return update(c, "INSERT INTO " + target.sql() + " (" + columns + ") SELECT " + columns
                + " FROM (SELECT DISTINCT ON (" + keys + ") * FROM " + STAGE + " ORDER BY " + keys + ", " + lastFirst
                + SEQUENCE_COLUMN + " DESC) last_rows");
    }

    private static void record(Connection c, LoadType type, Target target, List<S3File> files, String actionId)
            throws SQLException {
        if (type == LoadType.RELOAD_ALL || type == LoadType.RELOAD_LAST) {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM " + TRACKING
                    + " WHERE target_schema = ? AND target_table = ?")) {
                s.setString(1, target.schema());
                s.setString(2, target.table());
                s.executeUpdate();
            }
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO " + TRACKING
                + " (target_schema, target_table, s3_path, action_id) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (target_schema, target_table, s3_path)"
                + " DO UPDATE SET action_id = excluded.action_id, loaded_at = now()")) {
            for (S3File f : files) {
                s.setString(1, target.schema());
                s.setString(2, target.table());
                s.setString(3, f.path());
                s.setString(4, actionId);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static long update(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            return s.executeLargeUpdate(sql);
        }
    }
}
