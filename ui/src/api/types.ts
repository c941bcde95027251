// Types of the API, generated from openapi.yaml at build time: a contract change that the UI does not follow
// breaks the UI's compile.
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type ApiPaths = keyof paths;
export type WhoAmI = Schemas['WhoAmIResult']['results'];
export type Role = WhoAmI['role'];
export type ApiError = Schemas['Error'];
export type EngineEntity = Schemas['EngineEntity'];
export type DatastoreEntity = Schemas['DatastoreEntity'];
export type ActionEntity = Schemas['ActionEntity'];
export type WorkflowEntity = Schemas['WorkflowEntity'];
export type WorkflowInstanceEntity = Schemas['WorkflowInstanceEntity'];
export type TriggerEntity = Schemas['TriggerEntity'];
export type DatasetEntity = Schemas['DatasetEntity'];
export type SubscriptionEntity = Schemas['SubscriptionEntity'];
export type SubscriptionElementEntity = Schemas['SubscriptionElementEntity'];
export type EventEntity = Schemas['EventEntity'];
export type ApiKeyEntity = Schemas['ApiKeyEntity'];
export type ActionLogLine = Schemas['ActionLogLine'];
export type TriggerType = Schemas['TriggerType'];
export type ElementStat = Schemas['ElementStat'];
export type GraphResult = Schemas['GraphResult']['results'];

/** Any stored entity as the API shows it: `{id, version_id, created, updated, data}`. */
export interface AnyEntity {
  id: string;
  version_id: number;
  created: string;
  updated: string;
  data: Record<string, unknown>;
}

/** A page of a list route. */
export interface Page<T> {
  results: T[];
  limit: number;
  offset: number;
  total: number;
}
