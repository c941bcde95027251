// The workflow editor's state: the steps as drafts, their `depends_on` as the graph's edges, and the one request
// (`PUT /workflow/{id}/steps`) that saves what changed.
import type { AnyEntity } from '../api/types';

/** The step fields the editor changes; the rest of a stored step goes back as it came. */
export const STEP_FIELDS = ['name', 'action_type_name', 'args', 'order_idx', 'on_failure', 'retries', 'retry_delay_seconds', 'timeout_seconds', 'depends_on'] as const;

export interface StepDraft {
  /** The stored id, or `new-N` for a step not saved yet. */
  key: string;
  stored?: AnyEntity;
  data: Record<string, unknown>;
}

export interface StepsRequest {
  workflow?: { version_id: number; data: Record<string, unknown> };
  steps: { id?: string; version_id?: number; data: Record<string, unknown> }[];
  deleted_steps: { id: string; version_id: number }[];
}

export function fromStored(steps: AnyEntity[]): StepDraft[] {
  return [...steps]
    .sort((a, b) => Number(a.data.order_idx ?? 0) - Number(b.data.order_idx ?? 0))
    .map((s) => ({ key: s.id, stored: s, data: { ...s.data } }));
}

export function dependsOn(step: StepDraft): string[] {
  const d = step.data.depends_on;
  return Array.isArray(d) ? d.map(String) : [];
}

function byKey(steps: StepDraft[], key: string): StepDraft {
  const s = steps.find((x) => x.key === key);
  if (!s) throw new Error(`no step ${key}`);
  return s;
}

function nameOf(step: StepDraft): string {
  return String(step.data.name ?? '');
}

function withData(steps: StepDraft[], key: string, change: (data: Record<string, unknown>) => Record<string, unknown>): StepDraft[] {
  return steps.map((s) => (s.key === key ? { ...s, data: change({ ...s.data }) } : s));
}

/** The edges: from each step a step depends on, to the step. */
export function links(steps: StepDraft[]): { id: string; source: string; target: string }[] {
  const keyByName = new Map(steps.map((s) => [nameOf(s), s.key]));
  return steps.flatMap((s) => dependsOn(s)
    .filter((n) => keyByName.has(n))
    .map((n) => ({ id: `${keyByName.get(n)}>${s.key}`, source: keyByName.get(n)!, target: s.key })));
}

/** True when `to` already leads back to `from`, so an edge from `from` to `to` would close a cycle. */
export function wouldCycle(steps: StepDraft[], from: string, to: string): boolean {
  const next = new Map<string, string[]>();
  for (const l of links(steps)) next.set(l.source, [...(next.get(l.source) ?? []), l.target]);
  const seen = new Set<string>();
  const stack = [to];
  while (stack.length) {
    const k = stack.pop()!;
    if (k === from) return true;
    if (seen.has(k)) continue;
    seen.add(k);
    stack.push(...(next.get(k) ?? []));
  }
  return false;
}

/** `to` waits for `from`; refused (with the reason) for a step itself, a cycle, or a step without a unique name. */
export function addDependency(steps: StepDraft[], from: string, to: string): StepDraft[] | string {
  if (from === to) return 'A step cannot depend on itself.';
  const source = byKey(steps, from);
  const name = nameOf(source);
  if (!name || steps.filter((s) => nameOf(s) === name).length > 1) return `Steps are linked by name: give "${name}" a name no other step has first.`;
  if (wouldCycle(steps, from, to)) return `"${nameOf(byKey(steps, to))}" already leads to "${name}": that would be a cycle.`;
  if (dependsOn(byKey(steps, to)).includes(name)) return steps;
  return withData(steps, to, (d) => ({ ...d, depends_on: [...dependsOn(byKey(steps, to)), name] }));
}

export function removeDependency(steps: StepDraft[], from: string, to: string): StepDraft[] {
  const name = nameOf(byKey(steps, from));
  return withData(steps, to, (d) => ({ ...d, depends_on: dependsOn(byKey(steps, to)).filter((n) => n !== name) }));
}

/** Renames a step and the dependencies on it. */
export function renameStep(steps: StepDraft[], key: string, name: string): StepDraft[] {
  const old = nameOf(byKey(steps, key));
  return steps.map((s) => {
    if (s.key === key) return { ...s, data: { ...s.data, name } };
    const deps = dependsOn(s);
    return deps.includes(old) ? { ...s, data: { ...s.data, depends_on: deps.map((n) => (n === old ? name : n)) } } : s;
  });
}

/** Removes a step and the dependencies on it. */
export function deleteStep(steps: StepDraft[], key: string): StepDraft[] {
  const old = nameOf(byKey(steps, key));
  return steps.filter((s) => s.key !== key).map((s) => {
    const deps = dependsOn(s);
    return deps.includes(old) ? { ...s, data: { ...s.data, depends_on: deps.filter((n) => n !== old) } } : s;
  });
}

let counter = 0;

function orderOf(step: StepDraft, fallback: number): number {
  const idx = Number(step.data.order_idx);
  return step.data.order_idx !== null && step.data.order_idx !== undefined && Number.isFinite(idx) ? idx : fallback;
}

/** A new step of `actionType`, last in order. */
export function addStep(steps: StepDraft[], actionType: string, name: string): StepDraft[] {
  counter += 1;
  const last = steps.reduce((max, s, i) => Math.max(max, orderOf(s, i)), -1);
  return [...steps, {
    key: `new-${counter}`,
    data: { name, action_type_name: actionType, args: {}, order_idx: last + 1, on_failure: 'DEACTIVATE', retries: 0, retry_delay_seconds: 10, timeout_seconds: null, depends_on: [] },
  }];
}

/** Moves a step up (-1) or down (+1) in order: it swaps places, and `order_idx`, with its neighbour. */
export function moveStep(steps: StepDraft[], key: string, delta: number): StepDraft[] {
  const i = steps.findIndex((s) => s.key === key);
  const j = i + delta;
  if (i < 0 || j < 0 || j >= steps.length) return steps;
  const a = orderOf(steps[i], i);
  let b = orderOf(steps[j], j);
  if (a === b) b = a + delta;
  const next = [...steps];
  next[i] = { ...steps[j], data: { ...steps[j].data, order_idx: a } };
  next[j] = { ...steps[i], data: { ...steps[i].data, order_idx: b } };
  return next;
}

export function updateStep(steps: StepDraft[], key: string, fields: Record<string, unknown>): StepDraft[] {
  return withData(steps, key, (d) => ({ ...d, ...fields }));
}

function changed(step: StepDraft): boolean {
  if (!step.stored) return true;
  return STEP_FIELDS.some((f) => JSON.stringify(step.data[f] ?? null) !== JSON.stringify(step.stored!.data[f] ?? null));
}

/**
 * What to send: the workflow's fields when they changed, the new and changed steps (with the version each was
 * loaded at), and the stored steps no longer in the drafts.
 */
export function stepsRequest(workflow: AnyEntity, workflowData: Record<string, unknown>, original: AnyEntity[], drafts: StepDraft[]): StepsRequest {
  const kept = new Set(drafts.map((d) => d.key));
  const body: StepsRequest = {
    steps: drafts.filter(changed).map((d) => (d.stored
      ? { id: d.stored.id, version_id: d.stored.version_id, data: d.data }
      : { data: d.data })),
    deleted_steps: original.filter((s) => !kept.has(s.id)).map((s) => ({ id: s.id, version_id: s.version_id })),
  };
  if (Object.keys(workflowData).some((k) => JSON.stringify(workflowData[k]) !== JSON.stringify(workflow.data[k]))) {
    body.workflow = { version_id: workflow.version_id, data: { ...workflow.data, ...workflowData } };
  }
  return body;
}

/** The step a refusal names (`/steps/2/data/args: ...`), by its index among the steps sent. */
export function refusedStep(message: string, sent: StepsRequest, drafts: StepDraft[]): string | null {
  const m = /^\/steps\/(\d+)/.exec(message);
  if (!m) return null;
  const item = sent.steps[Number(m[1])];
  if (!item) return null;
  if (item.id) return item.id;
  return drafts.filter((d) => !d.stored)[sent.steps.filter((s) => !s.id).indexOf(item)]?.key ?? null;
}
