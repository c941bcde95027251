-- A file is an element of a subscription once: listing it again (a generation that restarts, a notification for a
-- file already listed) adds nothing.
CREATE UNIQUE INDEX subscription_element_path_unique ON subscription_element (subscription_id, s3_path);

-- Batches are reserved from the unconsumed elements in path order.
CREATE INDEX subscription_element_unconsumed_idx ON subscription_element (subscription_id, s3_path)
    WHERE state = 'UNCONSUMED';

-- A generation in progress: which worker lists the subscription, when it last showed life, and the last key it
-- stored, so that another worker can take over a dead one's listing where it stopped.
CREATE TABLE subscription_generation (
    subscription_id text        PRIMARY KEY,
    worker          text        NOT NULL,
    heartbeat       timestamptz NOT NULL,
    last_key        text
);
