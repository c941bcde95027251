-- Claims find runnable actions through action_queued_idx (V2), which holds QUEUED rows only. The older index on
-- (engine_name, state, created) served that lookup before it; now it only costs: every change of an action's state
-- writes an entry into it. Filters on engine_name alone still have action_engine_name_idx.
DROP INDEX action_engine_state_idx;
