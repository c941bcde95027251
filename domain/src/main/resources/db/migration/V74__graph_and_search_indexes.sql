-- A workflow's steps are its TEMPLATE actions, ten or so among the thousands its runs made: the graph (and the
-- editor's list of steps) asked (workflow_id, state = 'TEMPLATE') through the workflow_id index and read every
-- run's actions to keep the few templates, so a busy workflow's graph cost grew with its history (20,000 actions
-- read for 10 steps). This index holds the templates alone.
CREATE INDEX action_workflow_steps_idx ON action (workflow_id, created, id) WHERE state = 'TEMPLATE';
-- `name ~ x` on actions, in created order, walks the created index until a page of names matched (one in twenty
-- for a common step name): with the name in the index the walk no longer visits each row to read it.
CREATE INDEX action_created_name_idx ON action (created, id) INCLUDE (name);
DROP INDEX action_created_idx;
