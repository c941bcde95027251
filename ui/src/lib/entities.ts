import type { FilterKind } from './filters';

/** How a cell shows its value. `ref` links to another entity's page. */
export type CellKind = 'text' | 'state' | 'time' | 'ref' | 'list' | 'number' | 'id';

export interface Column {
  /** The key the API filters and sorts by: `id`, `created`, `updated`, or a dotted path into `data`. */
  key: string;
  label: string;
  kind?: CellKind;
  /** For `ref` columns: the entity type the value is the id of. */
  ref?: EntityTypeName;
  filter?: FilterKind;
  sortable?: boolean;
  options?: string[];
}

export type EntityTypeName =
  | 'engine' | 'datastore' | 'workflow' | 'workflow_instance' | 'action' | 'trigger' | 'event' | 'dataset' | 'subscription' | 'api_key';

export interface EntityDef {
  type: EntityTypeName;
  label: string;
  plural: string;
  /** The UI's list page and item page prefix: `/workflows`, `/workflow/{id}`. */
  listRoute: string;
  itemRoute: string;
  /** The API's collection path under /api/1. */
  apiPath: string;
  /** The path of `GET /schema/...` for this entity's forms. */
  schemaPath: string;
  /** The entity type of `/graph/{type}/{id}`, when the graph shows this entity. */
  graphType?: string;
  columns: Column[];
  /** Creation goes through a parent (POST /datastore/{id}/workflow) or not at all. */
  create: 'root' | 'parent' | 'none';
  editable: boolean;
  nav: { group: 'Overview' | 'Build' | 'Run' | 'Data' | 'Admin'; order: number; adminOnly?: boolean };
  /** The `state` values a bulk action may set (activate or deactivate). */
  activation?: { on: string; off: string };
}

const ACTION_STATES = ['TEMPLATE', 'HAS_NEVER_RUN', 'QUEUED', 'PENDING', 'RUNNING', 'FINISHING', 'COMPLETED', 'FAILED', 'SKIPPED'];
const RUN_STATES = ['QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED'];
const name: Column = { key: 'name', label: 'Name', filter: 'text', sortable: true };
const updated: Column = { key: 'updated', label: 'Updated', kind: 'time', filter: 'since', sortable: true };
const created: Column = { key: 'created', label: 'Created', kind: 'time', filter: 'since', sortable: true };
const id: Column = { key: 'id', label: 'Id', kind: 'id', filter: 'exact', sortable: true };
const tags: Column = { key: 'tags', label: 'Tags', kind: 'list', filter: 'exact' };
const state = (options: string[]): Column => ({ key: 'state', label: 'State', kind: 'state', filter: 'enum', sortable: true, options });

export const ENTITIES: Record<EntityTypeName, EntityDef> = {
  engine: {
    type: 'engine', label: 'Engine', plural: 'Engines', listRoute: '/engines', itemRoute: '/engine', apiPath: '/engine',
    schemaPath: '/schema/engine', create: 'none', editable: false, nav: { group: 'Build', order: 10 },
    columns: [name, { key: 'description', label: 'Description', filter: 'text' }, { key: 'launcher.type', label: 'Launcher', filter: 'exact', sortable: true }, tags, updated],
  },
  datastore: {
    type: 'datastore', label: 'Datastore', plural: 'Datastores', listRoute: '/datastores', itemRoute: '/datastore', apiPath: '/datastore',
    schemaPath: '/schema/datastore', graphType: 'datastore', create: 'root', editable: true, nav: { group: 'Build', order: 20 },
    activation: { on: 'ACTIVE', off: 'INACTIVE' },
    columns: [name, { key: 'engine_name', label: 'Engine', filter: 'exact', sortable: true }, state(['INACTIVE', 'ACTIVE', 'DONE', 'TEMPLATE']),
      { key: 'concurrency', label: 'Concurrency', kind: 'number', sortable: true }, tags, updated],
  },
  workflow: {
    type: 'workflow', label: 'Workflow', plural: 'Workflows', listRoute: '/workflows', itemRoute: '/workflow', apiPath: '/workflow',
    schemaPath: '/schema/workflow', graphType: 'workflow', create: 'parent', editable: true, nav: { group: 'Build', order: 30 },
    activation: { on: 'ACTIVE', off: 'INACTIVE' },
    columns: [name, { key: 'datastore_id', label: 'Datastore', kind: 'ref', ref: 'datastore', filter: 'exact' },
      { key: 'engine_name', label: 'Engine', filter: 'exact', sortable: true }, state(['ACTIVE', 'INACTIVE']),
      { key: 'concurrency', label: 'Concurrency', kind: 'number', sortable: true }, tags, updated],
  },
  workflow_instance: {
    type: 'workflow_instance', label: 'Run', plural: 'Runs', listRoute: '/runs', itemRoute: '/run', apiPath: '/workflow/instance',
    schemaPath: '/schema/workflow/instance', graphType: 'workflow_instance', create: 'none', editable: false, nav: { group: 'Run', order: 10 },
    columns: [id, { key: 'workflow_id', label: 'Workflow', kind: 'ref', ref: 'workflow', filter: 'exact' }, state(RUN_STATES),
      { key: 'trigger_type', label: 'Started by', filter: 'exact', sortable: true },
      { key: 'queued_time', label: 'Queued', kind: 'time', filter: 'since', sortable: true },
      { key: 'start_time', label: 'Started', kind: 'time', sortable: true },
      { key: 'end_time', label: 'Ended', kind: 'time', sortable: true },
      { key: 'error_message', label: 'Error', filter: 'text' }],
  },
  action: {
    type: 'action', label: 'Action', plural: 'Actions', listRoute: '/actions', itemRoute: '/action', apiPath: '/action',
    schemaPath: '/schema/action', graphType: 'action', create: 'parent', editable: true, nav: { group: 'Run', order: 20 },
    columns: [name, { key: 'action_type_name', label: 'Type', filter: 'exact', sortable: true }, { key: 'engine_name', label: 'Engine', filter: 'exact', sortable: true },
      state(ACTION_STATES), { key: 'workflow_instance_id', label: 'Run', kind: 'ref', ref: 'workflow_instance', filter: 'exact' },
      { key: 'start_time', label: 'Started', kind: 'time', filter: 'since', sortable: true }, { key: 'end_time', label: 'Ended', kind: 'time', sortable: true },
      { key: 'error_message', label: 'Error', filter: 'text' }],
  },
  trigger: {
    type: 'trigger', label: 'Trigger', plural: 'Triggers', listRoute: '/triggers', itemRoute: '/trigger', apiPath: '/trigger',
    schemaPath: '/schema/trigger', graphType: 'trigger', create: 'root', editable: true, nav: { group: 'Build', order: 40 },
    activation: { on: 'ACTIVE', off: 'INACTIVE' },
    columns: [name, { key: 'trigger_type_name', label: 'Type', filter: 'exact', sortable: true }, state(['ACTIVE', 'INACTIVE']),
      { key: 'workflow_ids', label: 'Workflows', kind: 'list', filter: 'exact' }, tags, updated],
  },
  event: {
    type: 'event', label: 'Event', plural: 'Events', listRoute: '/events', itemRoute: '/event', apiPath: '/event',
    schemaPath: '/schema/event', graphType: 'event', create: 'root', editable: true, nav: { group: 'Build', order: 50 },
    activation: { on: 'ACTIVE', off: 'INACTIVE' },
    columns: [name, { key: 'description', label: 'Description', filter: 'text' }, state(['ACTIVE', 'INACTIVE']), tags, updated],
  },
  dataset: {
    type: 'dataset', label: 'Dataset', plural: 'Datasets', listRoute: '/datasets', itemRoute: '/dataset', apiPath: '/dataset',
    schemaPath: '/schema/dataset', graphType: 'dataset', create: 'root', editable: true, nav: { group: 'Data', order: 10 },
    columns: [name, { key: 'location', label: 'Location', filter: 'text', sortable: true }, { key: 'data_format.file_format', label: 'Format', filter: 'exact' },
      { key: 'load_type', label: 'Load type', filter: 'exact', sortable: true }, tags, updated],
  },
  subscription: {
    type: 'subscription', label: 'Subscription', plural: 'Subscriptions', listRoute: '/subscriptions', itemRoute: '/subscription', apiPath: '/subscription',
    schemaPath: '/schema/subscription', graphType: 'subscription', create: 'parent', editable: true, nav: { group: 'Data', order: 20 },
    activation: { on: 'ACTIVE', off: 'INACTIVE' },
    columns: [name, { key: 'dataset_id', label: 'Dataset', kind: 'ref', ref: 'dataset', filter: 'exact' },
      state(['INACTIVE', 'QUEUED', 'GENERATING', 'ACTIVE', 'FAILED']), { key: 'generated_time', label: 'Listed', kind: 'time', sortable: true },
      { key: 'error_message', label: 'Error', filter: 'text' }, updated],
  },
  api_key: {
    type: 'api_key', label: 'API key', plural: 'API keys', listRoute: '/api-keys', itemRoute: '/api-key', apiPath: '/api_key',
    schemaPath: '', create: 'root', editable: false, nav: { group: 'Admin', order: 10, adminOnly: true },
    columns: [{ key: 'user_id', label: 'User', filter: 'text', sortable: true }, { key: 'role', label: 'Role', kind: 'state', filter: 'enum', sortable: true, options: ['admin', 'editor', 'viewer', 'engine'] },
      { key: 'engine_name', label: 'Engine', filter: 'exact' }, { key: 'description', label: 'Description', filter: 'text' }, created],
  },
};

export const ENTITY_LIST = Object.values(ENTITIES);

/** A value at a column's key: top-level fields of the envelope, else a dotted path into `data`. */
export function valueAt(entity: { id: string; created: string; updated: string; data: Record<string, unknown> }, key: string): unknown {
  if (key === 'id' || key === 'created' || key === 'updated') return entity[key];
  let v: unknown = entity.data;
  for (const part of key.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

export function itemHref(type: EntityTypeName, id: string): string {
  return `${ENTITIES[type].itemRoute}/${encodeURIComponent(id)}`;
}
