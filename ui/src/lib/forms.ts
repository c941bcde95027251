// From dart's JSON Schemas (GET /schema/...) to rjsf forms, and from the server's validation messages back to the
// field they name. The schemas describe the whole stored document; a form shows the fields a user sets.

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  description?: string;
  title?: string;
  default?: unknown;
  format?: string;
  'x-dart-secret'?: boolean;
  [k: string]: unknown;
};

export type UiSchema = Record<string, unknown>;
export type ErrorSchema = { __errors?: string[]; [k: string]: ErrorSchema | string[] | undefined };

/** The fields users set, per entity type, in form order; the rest is the platform's (times, counters, ids). */
export const FORM_FIELDS: Record<string, string[]> = {
  datastore: ['name', 'engine_name', 'state', 'concurrency', 'args', 'host', 'port', 'connection_url', 's3_artifacts_path', 's3_logs_path', 'tags'],
  workflow: ['name', 'datastore_id', 'state', 'concurrency', 'on_failure', 'retries_on_failure', 'on_started_email', 'on_success_email', 'on_failure_email', 'tags'],
  action: ['name', 'action_type_name', 'args', 'order_idx', 'depends_on', 'on_failure', 'retries', 'retry_delay_seconds', 'timeout_seconds', 'on_success_email', 'on_failure_email', 'tags'],
  trigger: ['name', 'trigger_type_name', 'workflow_ids', 'args', 'state', 'tags'],
  event: ['name', 'description', 'state', 'tags'],
  dataset: ['name', 'table_name', 'location', 'data_format', 'columns', 'load_type', 'compression', 'partitions', 'primary_keys', 'merge_keys', 'sort_keys', 'distribution_keys', 'batch_merge_sort_keys', 'hive_compatible_partition_folders', 'description', 'tags'],
  subscription: ['name', 'dataset_id', 's3_path_start_prefix_inclusive', 's3_path_end_prefix_exclusive', 's3_path_regex_filter', 'state', 'on_success_email', 'on_failure_email', 'tags'],
  api_key: ['user_id', 'role', 'engine_name', 'description'],
};

/** The type a value of this schema has when set: `["string", "null"]` is a string that may be left empty. */
function settableType(type: string | string[] | undefined): string | undefined {
  if (!Array.isArray(type)) return type;
  const real = type.filter((t) => t !== 'null');
  return real.length === 1 ? real[0] : undefined;
}

/**
 * A form's schema: only `fields` (in that order), each nullable type narrowed to its one real type, and fields that
 * the UI picks from a list elsewhere (`fixed`) left out.
 */
export function formSchema(schema: JsonSchema, fields: string[], fixed: string[] = []): JsonSchema {
  const props = schema.properties ?? {};
  const picked = fields.filter((f) => props[f] && !fixed.includes(f));
  return {
    type: 'object',
    properties: Object.fromEntries(picked.map((f) => [f, narrow(props[f])])),
    required: (schema.required ?? []).filter((r) => picked.includes(r)),
  };
}

function narrow(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...schema };
  const t = settableType(schema.type);
  if (t) out.type = t;
  else delete out.type;
  if (out.properties) out.properties = Object.fromEntries(Object.entries(out.properties).map(([k, v]) => [k, narrow(v)]));
  if (out.items && typeof out.items === 'object') out.items = narrow(out.items);
  return out;
}

/**
 * How rjsf draws a schema: secrets (`x-dart-secret`) as password inputs whose value never shows, objects without
 * declared properties (free JSON such as `extra_data`) as a JSON text area, long descriptions as help text.
 */
export function uiSchemaFor(schema: JsonSchema): UiSchema {
  const ui: UiSchema = {};
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    if (prop['x-dart-secret']) ui[key] = { 'ui:widget': 'password' };
    else if (settableType(prop.type) === 'object' && !prop.properties) ui[key] = { 'ui:field': 'json' };
    else if (settableType(prop.type) === 'object') ui[key] = uiSchemaFor(prop);
    else if (settableType(prop.type) === 'array' && prop.items && settableType(prop.items.type) === 'object') ui[key] = { items: uiSchemaFor(prop.items) };
  }
  return ui;
}

/** The error schema rjsf shows for a server message naming a JSON pointer into the body `{"data": {...}}`. */
export function errorSchemaFor(pointer: string | null, message: string): ErrorSchema {
  const parts = (pointer ?? '').split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (parts[0] === 'data') parts.shift();
  const text = message.replace(/^\/[^:\s]*:\s*/, '');
  const root: ErrorSchema = {};
  let node = root;
  for (const part of parts) {
    const next: ErrorSchema = {};
    node[part] = next;
    node = next;
  }
  node.__errors = [text];
  return root;
}

/**
 * A stored document as a form shows it: null means unset, and the form's narrowed types (`string`, not
 * `["string", "null"]`) would refuse it.
 */
export function withoutNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.filter((v) => v !== null).map(withoutNulls) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)])) as T;
  }
  return value;
}

/** The document to send: what the form holds, without empty strings (the server treats absent as unset). */
export function cleanFormData(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([, v]) => v !== '' && v !== undefined));
}

/** A copy of an entity's editable fields for a new one ("duplicate"): same settings, a new name. */
export function duplicateOf(data: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  const copy = Object.fromEntries(fields.filter((f) => f in data).map((f) => [f, data[f]]));
  if (typeof copy.name === 'string') copy.name = `${copy.name}-copy`;
  return copy;
}
