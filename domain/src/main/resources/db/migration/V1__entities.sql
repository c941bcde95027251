-- Every entity is a JSONB document in an envelope. The lookup columns are generated from the document,
-- so they cannot drift from it; the indexes sit on them.

CREATE TABLE engine (
    id         text        PRIMARY KEY,
    version_id integer     NOT NULL,
    created    timestamptz NOT NULL,
    updated    timestamptz NOT NULL,
    data       jsonb       NOT NULL CHECK (jsonb_typeof(data) = 'object'),
    name text GENERATED ALWAYS AS (data ->> 'name') STORED
);
CREATE UNIQUE INDEX engine_name_unique ON engine (name);
CREATE INDEX engine_created_idx ON engine (created, id);

CREATE TABLE datastore (
    id         text        PRIMARY KEY,
    version_id integer     NOT NULL,
    created    timestamptz NOT NULL,
    updated    timestamptz NOT NULL,
    data       jsonb       NOT NULL CHECK (jsonb_typeof(data) = 'object'),
    name text GENERATED ALWAYS AS (data ->> 'name') STORED,
    state text GENERATED ALWAYS AS (data ->> 'state') STORED,
    engine_name text GENERATED ALWAYS AS (data ->> 'engine_name') STORED,
    workflow_datastore_id text GENERATED ALWAYS AS (data ->> 'workflow_datastore_id') STORED
);
CREATE INDEX datastore_state_idx ON datastore (state);
CREATE INDEX datastore_engine_name_idx ON datastore (engine_name);
CREATE INDEX datastore_workflow_datastore_id_idx ON datastore (workflow_datastore_id);
CREATE INDEX datastore_created_idx ON datastore (created, id);

CREATE TABLE action (
    id         text        PRIMARY KEY,
    version_id integer     NOT NULL,
    created    timestamptz NOT NULL,
    updated    timestamptz NOT NULL,
    data       jsonb       NOT NULL CHECK (jsonb_typeof(data) = 'object'),
    name text GENERATED ALWAYS AS (data ->> 'name') STORED,
    state text GENERATED ALWAYS AS (data ->> 'state') STORED,
    engine_name text GENERATED ALWAYS AS (data ->> 'engine_name') STORED,
    datastore_id text GENERATED ALWAYS AS (data ->> 'datastore_id') STORED,
    workflow_id text GENERATED ALWAYS AS (data ->> 'workflow_id') STORED,
    workflow_instance_id text GENERATED ALWAYS AS (data ->> 'workflow_instance_id') STORED,
    action_type_name text GENERATED ALWAYS AS (data ->> 'action_type_name') STORED
);
CREATE INDEX action_state_idx ON action (state);
CREATE INDEX action_engine_name_idx ON action (engine_name);
CREATE INDEX action_datastore_id_idx ON action (datastore_id);
CREATE INDEX action_workflow_id_idx ON action (workflow_id);
CREATE INDEX action_workflow_instance_id_idx ON action (workflow_instance_id);
CREATE INDEX action_action_type_name_idx ON action (action_type_name);
CREATE INDEX action_created_idx ON action (created, id);

CREATE TABLE workflow (
    id         text        PRIMARY KEY,
    version_id integer     NOT NULL,
    created    timestamptz NOT NULL,
    updated    timestamptz NOT NULL,
    data       jsonb       NOT NULL CHECK (jsonb_typeof(data) = 'object'),
    name text GENERATED ALWAYS AS (data ->> 'name') STORED,
    state text GENERATED ALWAYS AS (data ->> 'state') STORED,
    datastore_id text GENERATED ALWAYS AS (data ->> 'datastore_id') STORED,
    engine_name text GENERATED ALWAYS AS (data ->> 'engine_name') STORED
);
CREATE INDEX workflow_state_idx ON workflow (state);
CREATE INDEX workflow_datastore_id_idx ON workflow (datastore_id);
CREATE INDEX workflow_engine_name_idx ON workflow (engine_name);
CREATE INDEX workflow_created_idx ON workflow (created, id);

CREATE TABLE workflow_instance (
    id         text        PRIMARY KEY,
    version_id integer     NOT NULL,
    created    timestamptz NOT NULL,
    updated    timestamptz NOT NULL,
    data       jsonb       NOT NULL CHECK (jsonb_typeof(data) = 'object'),
    state text GENERATED ALWAYS AS (data ->> 'state') STORED,
    workflow_id text GENERATED ALWAYS AS (data ->> 'workflow_id') STORED,
    datastore_id text GENERATED ALWAYS AS (data ->> 'datastore_id') STORED
);
CREATE INDEX workflow_instance_state_idx ON workflow_instance (state);
CREATE INDEX workflow_instance_workflow_id_idx ON workflow_instance (workflow_id);
CREATE INDEX workflow_instance_datastore_id_idx ON workflow_instance (datastore_id);
CREATE INDEX workflow_instance_created_idx ON workflow_instance (created, id);

CREATE TABLE dataset (
    id         text        PRIMARY KEY,
    version_id integer     NOT NULL,
    created    timestamptz NOT NULL,
    updated    timestamptz NOT NULL,
    data       jsonb       NOT NULL CHECK (jsonb_typeof(data) = 'object'),
    name text GENERATED ALWAYS AS (data ->> 'name') STORED
);
CREATE UNIQUE INDEX dataset_name_unique ON dataset (name);
CREATE INDEX dataset_created_idx ON dataset (created, id);

CREATE TABLE subscription (
    id         text        PRIMARY KEY,
    version_id integer     NOT NULL,
    created    timestamptz NOT NULL,
    updated    timestamptz NOT NULL,
    data       jsonb       NOT NULL CHECK (jsonb_typeof(data) = 'object'),
    name text GENERATED ALWAYS AS (data ->> 'name') STORED,
    state text GENERATED ALWAYS AS (data ->> 'state') STORED,
    dataset_id text GENERATED ALWAYS AS (data ->> 'dataset_id') STORED
);
CREATE INDEX subscription_state_idx ON subscription (state);
CREATE INDEX subscription_dataset_id_idx ON subscription (dataset_id);
CREATE INDEX subscription_created_idx ON subscription (created, id);

CREATE TABLE subscription_element (
    id         text        PRIMARY KEY,
    version_id integer     NOT NULL,
    created    timestamptz NOT NULL,
    updated    timestamptz NOT NULL,
    data       jsonb       NOT NULL CHECK (jsonb_typeof(data) = 'object'),
    state text GENERATED ALWAYS AS (data ->> 'state') STORED,
    subscription_id text GENERATED ALWAYS AS (data ->> 'subscription_id') STORED,
    s3_path text GENERATED ALWAYS AS (data ->> 's3_path') STORED,
    action_id text GENERATED ALWAYS AS (data ->> 'action_id') STORED,
    batch_id text GENERATED ALWAYS AS (data ->> 'batch_id') STORED
);
CREATE INDEX subscription_element_state_idx ON subscription_element (state);
CREATE INDEX subscription_element_subscription_id_idx ON subscription_element (subscription_id);
CREATE INDEX subscription_element_s3_path_idx ON subscription_element (s3_path);
CREATE INDEX subscription_element_action_id_idx ON subscription_element (action_id);
CREATE INDEX subscription_element_batch_id_idx ON subscription_element (batch_id);
CREATE INDEX subscription_element_created_idx ON subscription_element (created, id);

CREATE TABLE trigger (
    id         text        PRIMARY KEY,
    version_id integer     NOT NULL,
    created    timestamptz NOT NULL,
    updated    timestamptz NOT NULL,
    data       jsonb       NOT NULL CHECK (jsonb_typeof(data) = 'object'),
    name text GENERATED ALWAYS AS (data ->> 'name') STORED,
    state text GENERATED ALWAYS AS (data ->> 'state') STORED,
    trigger_type_name text GENERATED ALWAYS AS (data ->> 'trigger_type_name') STORED
);
CREATE INDEX trigger_state_idx ON trigger (state);
CREATE INDEX trigger_trigger_type_name_idx ON trigger (trigger_type_name);
CREATE INDEX trigger_created_idx ON trigger (created, id);

CREATE TABLE event (
    id         text        PRIMARY KEY,
    version_id integer     NOT NULL,
    created    timestamptz NOT NULL,
    updated    timestamptz NOT NULL,
    data       jsonb       NOT NULL CHECK (jsonb_typeof(data) = 'object'),
    name text GENERATED ALWAYS AS (data ->> 'name') STORED,
    state text GENERATED ALWAYS AS (data ->> 'state') STORED
);
CREATE INDEX event_state_idx ON event (state);
CREATE INDEX event_created_idx ON event (created, id);

CREATE TABLE subgraph_definition (
    id         text        PRIMARY KEY,
    version_id integer     NOT NULL,
    created    timestamptz NOT NULL,
    updated    timestamptz NOT NULL,
    data       jsonb       NOT NULL CHECK (jsonb_typeof(data) = 'object'),
    name text GENERATED ALWAYS AS (data ->> 'name') STORED,
    engine_name text GENERATED ALWAYS AS (data ->> 'engine_name') STORED
);
CREATE INDEX subgraph_definition_engine_name_idx ON subgraph_definition (engine_name);
CREATE INDEX subgraph_definition_created_idx ON subgraph_definition (created, id);

CREATE TABLE api_key (
    id         text        PRIMARY KEY,
    version_id integer     NOT NULL,
    created    timestamptz NOT NULL,
    updated    timestamptz NOT NULL,
    data       jsonb       NOT NULL CHECK (jsonb_typeof(data) = 'object'),
    key text GENERATED ALWAYS AS (data ->> 'key') STORED,
    user_id text GENERATED ALWAYS AS (data ->> 'user_id') STORED,
    role text GENERATED ALWAYS AS (data ->> 'role') STORED
);
CREATE UNIQUE INDEX api_key_key_unique ON api_key (key);
CREATE INDEX api_key_user_id_idx ON api_key (user_id);
CREATE INDEX api_key_role_idx ON api_key (role);
CREATE INDEX api_key_created_idx ON api_key (created, id);

-- the engine worker's hot lookup: runnable actions of an engine, oldest first
CREATE INDEX action_engine_state_idx ON action (engine_name, state, created);
