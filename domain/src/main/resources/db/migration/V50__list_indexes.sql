-- Lists are filtered by a lookup column and ordered by (created, id), ascending or descending. An index on
-- (column, created, id) finds the page's rows by walking its first entries in order, and finds the rows of a
-- cursor's position by the same walk; the single-column indexes it replaces served the filter but left every match
-- to be read and sorted. Each composite index also serves what its single-column one did.
DROP INDEX action_state_idx;
CREATE INDEX action_state_created_idx ON action (state, created, id);
DROP INDEX action_engine_name_idx;
CREATE INDEX action_engine_name_created_idx ON action (engine_name, created, id);
DROP INDEX action_datastore_id_idx;
CREATE INDEX action_datastore_id_created_idx ON action (datastore_id, created, id);
DROP INDEX action_workflow_id_idx;
CREATE INDEX action_workflow_id_created_idx ON action (workflow_id, created, id);
DROP INDEX action_workflow_instance_id_idx;
CREATE INDEX action_workflow_instance_id_created_idx ON action (workflow_instance_id, created, id);
DROP INDEX action_action_type_name_idx;
CREATE INDEX action_action_type_name_created_idx ON action (action_type_name, created, id);

DROP INDEX workflow_instance_state_idx;
CREATE INDEX workflow_instance_state_created_idx ON workflow_instance (state, created, id);
DROP INDEX workflow_instance_workflow_id_idx;
CREATE INDEX workflow_instance_workflow_id_created_idx ON workflow_instance (workflow_id, created, id);
DROP INDEX workflow_instance_datastore_id_idx;
CREATE INDEX workflow_instance_datastore_id_created_idx ON workflow_instance (datastore_id, created, id);

DROP INDEX workflow_state_idx;
CREATE INDEX workflow_state_created_idx ON workflow (state, created, id);
DROP INDEX workflow_datastore_id_idx;
CREATE INDEX workflow_datastore_id_created_idx ON workflow (datastore_id, created, id);
DROP INDEX datastore_state_idx;
CREATE INDEX datastore_state_created_idx ON datastore (state, created, id);

-- `name ~ x` (a case-insensitive contains) compiles to lower(name) LIKE '%x%', which a trigram index on lower(name)
-- answers from the index. pg_trgm ships with PostgreSQL's contrib (and with the embedded binaries); it is a trusted
-- extension, so the database's owner may create it. GIN's pending list keeps the cost of each write small.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX action_name_trgm_idx ON action USING gin (lower(name) gin_trgm_ops);
CREATE INDEX workflow_name_trgm_idx ON workflow USING gin (lower(name) gin_trgm_ops);
CREATE INDEX datastore_name_trgm_idx ON datastore USING gin (lower(name) gin_trgm_ops);
CREATE INDEX dataset_name_trgm_idx ON dataset USING gin (lower(name) gin_trgm_ops);
CREATE INDEX trigger_name_trgm_idx ON trigger USING gin (lower(name) gin_trgm_ops);
CREATE INDEX subscription_name_trgm_idx ON subscription USING gin (lower(name) gin_trgm_ops);
CREATE INDEX event_name_trgm_idx ON event USING gin (lower(name) gin_trgm_ops);
