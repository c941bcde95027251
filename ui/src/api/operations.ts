import { api } from './client';
import type { AnyEntity, Page } from './types';
import { ENTITIES, type EntityTypeName } from '../lib/entities';

// The calls the pages make, each once, named for what they do.

export function itemPath(type: EntityTypeName, id: string): string {
  return `${ENTITIES[type].apiPath}/${encodeURIComponent(id)}`;
}

export async function getEntity(type: EntityTypeName, id: string): Promise<AnyEntity> {
  return (await api.get<{ results: AnyEntity }>(itemPath(type, id))).results;
}

export function listEntities(path: string, query: Record<string, string | number>): Promise<Page<AnyEntity>> {
  return api.get<Page<AnyEntity>>(path, query);
}

export function deleteEntity(type: EntityTypeName, id: string): Promise<unknown> {
  return api.delete(itemPath(type, id));
}

/** Activates or deactivates one entity; a JSON Patch, so the rest of the entity is not sent back. */
export function setState(type: EntityTypeName, id: string, state: string): Promise<unknown> {
  return api.patch(itemPath(type, id), [{ op: 'replace', path: '/data/state', value: state }]);
}

export function cancelRun(id: string): Promise<unknown> {
  return api.post(`/workflow/instance/${encodeURIComponent(id)}/cancel`);
}

export function resumeRun(id: string): Promise<unknown> {
  return api.post(`/workflow/instance/${encodeURIComponent(id)}/resume`);
}

export function runWorkflow(id: string, body: { parameters?: Record<string, unknown>; callback_url?: string } = {}): Promise<unknown> {
  return api.post(`/workflow/${encodeURIComponent(id)}/do-manual-trigger`, body);
}

/** Queues an action again (FAILED, COMPLETED or SKIPPED -> QUEUED). */
export function retryAction(id: string): Promise<unknown> {
  return api.patch(itemPath('action', id), [{ op: 'replace', path: '/data/state', value: 'QUEUED' }]);
}

/** Runs one call per id, all at once, and answers the failures with their ids. */
export async function forEachId(ids: string[], call: (id: string) => Promise<unknown>): Promise<{ id: string; message: string }[]> {
  const outcomes = await Promise.allSettled(ids.map((id) => call(id)));
  return outcomes.flatMap((o, i) => (o.status === 'rejected' ? [{ id: ids[i], message: (o.reason as Error).message }] : []));
}
