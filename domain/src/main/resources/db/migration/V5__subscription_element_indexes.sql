-- Elements are written by the thousand: keep only the indexes their reads use. Lookups by subscription go through
-- the unique (subscription_id, s3_path) index; by state within a subscription through the one below; action_id and
-- batch_id are null for most elements, so only the rows that have one are indexed.
DROP INDEX subscription_element_subscription_id_idx;
DROP INDEX subscription_element_state_idx;
DROP INDEX subscription_element_s3_path_idx;
DROP INDEX subscription_element_action_id_idx;
DROP INDEX subscription_element_batch_id_idx;
CREATE INDEX subscription_element_subscription_state_idx ON subscription_element (subscription_id, state);
CREATE INDEX subscription_element_action_id_idx ON subscription_element (action_id) WHERE action_id IS NOT NULL;
CREATE INDEX subscription_element_batch_id_idx ON subscription_element (batch_id) WHERE batch_id IS NOT NULL;
