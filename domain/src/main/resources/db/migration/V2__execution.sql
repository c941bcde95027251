-- Execution bookkeeping that is not an entity, kept in plain tables.

-- Follow-up work decided inside a transaction (a workflow completed, a trigger fired) is written here in that same
-- transaction, then relayed to the trigger queue; a crash between commit and send loses nothing.
CREATE TABLE outbox (
    id        text        PRIMARY KEY,
    created   timestamptz NOT NULL,
    body      jsonb       NOT NULL,
    sent      timestamptz
);
CREATE INDEX outbox_unsent_idx ON outbox (created) WHERE sent IS NULL;

-- Queue messages already applied: SQS may deliver a message twice, its effect must happen once.
CREATE TABLE processed_message (
    id        text        PRIMARY KEY,
    processed timestamptz NOT NULL
);

-- One row per scheduled fire: several trigger workers race to insert it, one wins, the minute fires once.
CREATE TABLE trigger_fire (
    trigger_id text        NOT NULL,
    fire_time  timestamptz NOT NULL,
    PRIMARY KEY (trigger_id, fire_time)
);

-- What engines print, kept per action so GET /action/{id}/logs can show it.
CREATE TABLE action_log (
    action_id text        NOT NULL,
    seq       bigserial,
    created   timestamptz NOT NULL,
    stream    text        NOT NULL,
    line      text        NOT NULL,
    PRIMARY KEY (action_id, seq)
);

-- the claim query: runnable actions of an engine, oldest first
CREATE INDEX action_queued_idx ON action (engine_name, created) WHERE state = 'QUEUED';
-- the sweeper: work in flight
CREATE INDEX action_in_flight_idx ON action (state) WHERE state IN ('PENDING', 'RUNNING');
