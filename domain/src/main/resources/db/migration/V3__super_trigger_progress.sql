-- Which of an ALL super trigger's triggers have fired since it last fired; emptied when it fires.
CREATE TABLE super_trigger_progress (
    super_trigger_id text        NOT NULL,
    fired_trigger_id text        NOT NULL,
    fired            timestamptz NOT NULL,
    PRIMARY KEY (super_trigger_id, fired_trigger_id)
);
