-- The credentials of launched engine tasks: one per launch of an action, good only while that action is PENDING or
-- RUNNING. Only a hash of the secret is kept, as for API keys.
CREATE TABLE action_token (
    key           text        PRIMARY KEY,
    secret_sha256 text        NOT NULL,
    action_id     text        NOT NULL,
    created       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX action_token_action_id_idx ON action_token (action_id);
