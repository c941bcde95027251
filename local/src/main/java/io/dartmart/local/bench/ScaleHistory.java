package io.dartmart.local.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * A year of history written by SQL in the shape the API writes: datastores, ACTIVE workflows with TEMPLATE steps and
 * a scheduled trigger each, runs (workflow instances) of ten actions each, spread over 365 days, a fiftieth of
 * them on one busy workflow. Rows are written in the order of their {@code created}, as the API writes them (a
 * table laid out in another order makes every walk of the created index jump between pages). The action and run tables' secondary indexes are dropped while loading and built again
 * after (a sorted build is several times faster than a million index insertions), then everything is vacuumed
 * (so index-only scans apply, as on a database autovacuum keeps) and analyzed.
 */
final class ScaleHistory {
    static final String BUSY_WORKFLOW = "wf-0";
    static final String ENGINE = "bench_engine";

    private ScaleHistory() {
    }

    /** Builds the history of {@code actions} actions; answers how many seconds it took. */
    static double build(DataSource database, int actions) throws SQLException {
        long start = System.nanoTime();
        int runs = Math.max(1, actions / 10);
        int workflows = Math.max(10, Math.min(1000, actions / 1000));
        int datastores = Math.max(2, Math.min(50, workflows / 20));
        try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
            s.execute("SET maintenance_work_mem = '1GB'");
            List<String> indexes = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN"
                    + " ('action', 'workflow_instance') AND indexname NOT LIKE '%_pkey'")) {
                while (rs.next()) {
                    indexes.add(rs.getString(2));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT string_agg('DROP INDEX ' || indexname, '; ') FROM pg_indexes"
                    + " WHERE tablename IN ('action', 'workflow_instance') AND indexname NOT LIKE '%_pkey'")) {
                rs.next();
                try (Statement drop = c.createStatement()) {
                    drop.execute(rs.getString(1));
                }
            }
            String year = "now() - interval '365 days'";
            s.execute("INSERT INTO engine (id, version_id, created, updated, data) VALUES ('" + ENGINE + "', 1, " + year
                    + ", " + year + ", jsonb_build_object('name', '" + ENGINE + "', 'description', 'benchmark engine',"
                    + " 'options_json_schema', '{}'::jsonb, 'supported_action_types', '[]'::jsonb, 'tags', '[]'::jsonb,"
                    + " 'user_id', 'bench@dart.local', 'state', 'ACTIVE'))");
            s.execute("INSERT INTO datastore (id, version_id, created, updated, data) SELECT 'ds-' || g, 1, " + year
                    + ", " + year + ", jsonb_build_object('name', 'datastore_' || g, 'engine_name', '" + ENGINE + "',"
                    + " 'state', 'ACTIVE', 'concurrency', 1, 'args', '{}'::jsonb, 'tags', '[]'::jsonb,"
                    + " 'user_id', 'bench@dart.local', 's3_artifacts_path', 's3://bench/ds-' || g)"
                    + " FROM generate_series(0, " + (datastores - 1) + ") g");
            s.execute("INSERT INTO workflow (id, version_id, created, updated, data) SELECT 'wf-' || g, 1, " + year
                    + " + g * interval '1 second', " + year + ", jsonb_build_object('name', 'workflow_' || g,"
                    + " 'datastore_id', 'ds-' || (g % " + datastores + "), 'engine_name', '" + ENGINE + "',"
                    + " 'state', 'ACTIVE', 'concurrency', 1, 'on_failure', 'HALT', 'retries_on_failure', 0,"
                    + " 'tags', '[]'::jsonb, 'user_id', 'bench@dart.local') FROM generate_series(0, " + (workflows - 1) + ") g");
            s.execute("INSERT INTO action (id, version_id, created, updated, data) SELECT 'tpl-' || w || '-' || k, 1, "
                    + year + " + w * interval '1 second', " + year + ", jsonb_build_object('name', 'step_' || k,"
                    + " 'action_type_name', 'run', 'args', '{}'::jsonb, 'state', 'TEMPLATE', 'engine_name', '" + ENGINE
                    + "', 'workflow_id', 'wf-' || w, 'order_idx', k, 'on_failure', 'HALT', 'tags', '[]'::jsonb,"
                    + " 'user_id', 'bench@dart.local') FROM generate_series(0, " + (workflows - 1)
                    + ") w, generate_series(0, 9) k");
            s.execute("INSERT INTO trigger (id, version_id, created, updated, data) SELECT 'tr-' || w, 1, " + year
                    + ", " + year + ", jsonb_build_object('name', 'nightly_' || w, 'trigger_type_name', 'scheduled',"
                    + " 'state', 'ACTIVE', 'workflow_ids', jsonb_build_array('wf-' || w), 'args',"
                    + " jsonb_build_object('cron_pattern', '0 ' || (w % 24) || ' * * ? *'), 'tags', '[]'::jsonb,"
                    + " 'user_id', 'bench@dart.local') FROM generate_series(0, " + (workflows - 1) + ") w");
            // run r belongs to the busy workflow when r % 50 = 0, else to one of the others in turn
            String workflowOf = "CASE WHEN r % 50 = 0 THEN 0 ELSE 1 + r % " + (workflows - 1) + " END";
            String runTime = year + " + r * interval '" + (365L * 86400 / runs) + " seconds'";
            s.execute("INSERT INTO workflow_instance (id, version_id, created, updated, data) SELECT 'run-' || r, 3, "
                    + runTime + ", " + runTime + " + interval '10 minutes', jsonb_build_object('workflow_id', 'wf-' || "
                    + workflowOf + ", 'datastore_id', 'ds-' || ((" + workflowOf + ") % " + datastores + "), 'state',"
                    + " CASE WHEN r % 40 = 0 THEN 'FAILED' WHEN r > " + (runs - 5) + " THEN 'RUNNING' ELSE 'COMPLETED'"
                    + " END, 'trigger_type', 'scheduled', 'trigger_id', 'tr-' || " + workflowOf + ", 'queued_time', "
                    + runTime + ", 'start_time', " + runTime + ", 'end_time', " + runTime + " + interval '10 minutes',"
                    + " 'retry_num', 0, 'tags', '[]'::jsonb, 'user_id', 'bench@dart.local')"
                    + " FROM generate_series(0, " + (runs - 1) + ") r ORDER BY r");
            String actionTime = runTime + " + k * interval '1 minute'";
            s.execute("INSERT INTO action (id, version_id, created, updated, data) SELECT 'act-' || r || '-' || k, 4, "
                    + actionTime + ", " + actionTime + " + interval '1 minute', jsonb_build_object('name', 'step_' ||"
                    + " ((r * 10 + k) % 250), 'action_type_name', 'run', 'args', '{}'::jsonb, 'state', CASE WHEN"
                    + " r % 40 = 0 AND k = 9 THEN 'FAILED' WHEN r > " + (runs - 5) + " THEN 'QUEUED' ELSE 'COMPLETED'"
                    + " END, 'engine_name', '" + ENGINE + "', 'datastore_id', 'ds-' || ((" + workflowOf + ") % "
                    + datastores + "), 'workflow_id', 'wf-' || " + workflowOf + ", 'workflow_instance_id', 'run-' || r,"
                    + " 'workflow_action_id', 'tpl-' || " + workflowOf + " || '-' || k, 'order_idx', k,"
                    + " 'first_in_workflow', k = 0, 'last_in_workflow', k = 9, 'queued_time', " + actionTime
                    + ", 'start_time', " + actionTime + ", 'end_time', " + actionTime + " + interval '50 seconds',"
                    + " 'on_failure', 'HALT', 'attempt', 1, 'tags', '[]'::jsonb, 'user_id', 'bench@dart.local')"
                    + " FROM generate_series(0, " + (runs - 1) + ") r, generate_series(0, 9) k ORDER BY r, k");
            for (String index : indexes) {
                s.execute(index);
            }
            s.execute("VACUUM ANALYZE");
            // the load left a gigabyte of dirty pages: written now, not by the checkpointer during the first routes
            s.execute("CHECKPOINT");
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
