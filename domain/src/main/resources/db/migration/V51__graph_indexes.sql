-- The graph finds the entities that point at a set of entities with one statement per kind of reference. These
-- indexes answer the references held inside documents: the ids a trigger names (workflow_ids, args.*) and the
-- dataset or subscription a workflow's step names in its args, which a step holds only while it is a TEMPLATE or
-- HAS_NEVER_RUN (the graph asks for no other). Without them each reference was a scan of the table.
CREATE INDEX trigger_data_idx ON trigger USING gin (data jsonb_path_ops);
CREATE INDEX action_step_args_idx ON action USING gin ((data -> 'args') jsonb_path_ops)
    WHERE state IN ('TEMPLATE', 'HAS_NEVER_RUN');
-- A datastore's own actions (not a workflow's): few among the datastore's runs, read without walking the others.
CREATE INDEX action_datastore_own_idx ON action (datastore_id, created, id) WHERE workflow_id IS NULL;
