import type { JsonSchema } from './forms';
import type { EntityTypeName } from './entities';

// Which schema a form loads and where it sends a new entity, from what is chosen above the form (the engine, the
// action type, the trigger type, the parent).

/** Fields chosen with pickers above the form rather than in it, because the schema or the route depends on them. */
export const PICKED_FIELDS: Partial<Record<EntityTypeName, string[]>> = {
  datastore: ['engine_name'],
  workflow: ['datastore_id'],
  action: ['workflow_id', 'action_type_name', 'depends_on'],
  trigger: ['trigger_type_name', 'workflow_ids'],
  subscription: ['dataset_id'],
};

const q = encodeURIComponent;

/** The schema route for a form; null while a choice it depends on is missing. */
export function schemaPathFor(type: EntityTypeName, data: Record<string, unknown>): string | null {
  switch (type) {
    case 'datastore':
      return data.engine_name ? `/schema/engine/${q(String(data.engine_name))}/datastore` : null;
    case 'action':
      return data.action_type_name && data.engine_name ? `/schema/action/${q(String(data.action_type_name))}?engine_name=${q(String(data.engine_name))}` : null;
    case 'trigger':
      return data.trigger_type_name ? `/schema/trigger?trigger_type_name=${q(String(data.trigger_type_name))}` : null;
    case 'workflow_instance':
      return '/schema/workflow/instance';
    case 'api_key':
      return null;
    default:
      return `/schema/${type}`;
  }
}

/** Where a new entity is POSTed; null while its parent is not chosen. */
export function createPathFor(type: EntityTypeName, data: Record<string, unknown>): string | null {
  switch (type) {
    case 'workflow':
      return data.datastore_id ? `/datastore/${q(String(data.datastore_id))}/workflow` : null;
    case 'action':
      return data.workflow_id ? `/workflow/${q(String(data.workflow_id))}/action` : null;
    case 'subscription':
      return data.dataset_id ? `/dataset/${q(String(data.dataset_id))}/subscription` : null;
    case 'api_key':
      return '/api_key';
    default:
      return `/${type}`;
  }
}

/** API keys have no schema route; their form is this (the server checks the same rules). */
export const API_KEY_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['user_id', 'role'],
  properties: {
    user_id: { type: 'string', title: 'User (e-mail address)', format: 'email' },
    role: { type: 'string', enum: ['admin', 'editor', 'viewer', 'engine'], default: 'viewer' },
    engine_name: { type: 'string', title: 'Engine name (engine role only)' },
    description: { type: 'string' },
  },
};
