-- The claim takes the oldest runnable actions of an engine: ORDER BY created, id. An index that holds exactly those
-- rows in exactly that order answers it by reading its first entries, whatever the statistics say; without the id
-- in it, the planner of an analyzed database was seen walking action_created_idx past every finished action.
DROP INDEX action_queued_idx;
CREATE INDEX action_queued_idx ON action (engine_name, created, id) WHERE state = 'QUEUED';
