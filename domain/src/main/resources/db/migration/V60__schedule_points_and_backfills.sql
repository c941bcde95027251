-- A workflow never has two queued or running runs of one schedule point (scheduled and backfill runs), whichever
-- API or worker process starts them.
CREATE UNIQUE INDEX workflow_instance_active_point_idx ON workflow_instance (workflow_id, (data ->> 'schedule_point'))
    WHERE state IN ('QUEUED', 'RUNNING');
CREATE INDEX workflow_instance_backfill_idx ON workflow_instance ((data ->> 'backfill_id'))
    WHERE data ->> 'backfill_id' IS NOT NULL;

-- POST /trigger/{id}/backfill: the runs of a scheduled trigger's past schedule points, started progressively by the
-- trigger workers.
CREATE TABLE backfill (
    id              text        PRIMARY KEY,
    trigger_id      text        NOT NULL,
    state           text        NOT NULL CHECK (state IN ('RUNNING', 'COMPLETED', 'CANCELLED')),
    range_start     timestamptz NOT NULL,
    range_end       timestamptz NOT NULL,
    reprocess       text        NOT NULL CHECK (reprocess IN ('none', 'failed', 'all')),
    max_active_runs integer     NOT NULL CHECK (max_active_runs > 0),
    user_id         text,
    created         timestamptz NOT NULL,
    updated         timestamptz NOT NULL
);
CREATE INDEX backfill_trigger_idx ON backfill (trigger_id, created);
CREATE INDEX backfill_running_idx ON backfill (created) WHERE state = 'RUNNING';

-- One row per (schedule point, workflow of the trigger).
CREATE TABLE backfill_point (
    backfill_id          text        NOT NULL REFERENCES backfill (id) ON DELETE CASCADE,
    workflow_id          text        NOT NULL,
    point                timestamptz NOT NULL,
    next_point           timestamptz NOT NULL,
    state                text        NOT NULL
        CHECK (state IN ('PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'SKIPPED', 'CANCELLED')),
    workflow_instance_id text,
    PRIMARY KEY (backfill_id, point, workflow_id)
);
CREATE INDEX backfill_point_state_idx ON backfill_point (backfill_id, state, point);

-- A workflow's latest run of a schedule point, which a backfill's reprocess rule looks at.
CREATE INDEX workflow_instance_schedule_point_idx ON workflow_instance (workflow_id, (data ->> 'schedule_point'), created)
    WHERE data ->> 'schedule_point' IS NOT NULL;
