import { describe, expect, it } from 'vitest';
import type { AnyEntity } from '../api/types';
import {
  addDependency, addStep, deleteStep, fromStored, links, moveStep, refusedStep, removeDependency, renameStep,
  stepsRequest, updateStep, type StepDraft,
} from './editorModel';

const step = (id: string, name: string, order: number, depends_on: string[] = []): AnyEntity => ({
  id, version_id: 3, created: '', updated: '', data: { name, action_type_name: 'work', args: {}, order_idx: order, depends_on, state: 'TEMPLATE' },
});
const workflow: AnyEntity = { id: 'W', version_id: 7, created: '', updated: '', data: { name: 'wf', retries_on_failure: 0 } };
const stored = [step('B', 'load', 2, ['extract']), step('A', 'extract', 1)];

function ok(result: StepDraft[] | string): StepDraft[] {
  if (typeof result === 'string') throw new Error(result);
  return result;
}

describe('workflow editor model', () => {
  it('orders steps by order_idx and draws depends_on as edges', () => {
    const drafts = fromStored(stored);
    expect(drafts.map((d) => d.key)).toEqual(['A', 'B']);
    expect(links(drafts)).toEqual([{ id: 'A>B', source: 'A', target: 'B' }]);
  });

  it('adds a dependency drawn in the graph, and refuses one that closes a cycle or points at itself', () => {
    let drafts = addStep(fromStored(stored), 'work', 'report');
    const report = drafts[2].key;
    drafts = ok(addDependency(drafts, 'B', report));
    expect(drafts[2].data.depends_on).toEqual(['load']);
    expect(addDependency(drafts, report, 'A')).toMatch(/cycle/);
    expect(addDependency(drafts, 'A', 'A')).toMatch(/itself/);
    expect(removeDependency(drafts, 'B', report)[2].data.depends_on).toEqual([]);
  });

  it('refuses to link by a name two steps share', () => {
    const drafts = addStep(fromStored(stored), 'work', 'extract');
    expect(addDependency(drafts, 'A', drafts[2].key)).toMatch(/name/);
  });

  it('keeps dependencies when a step is renamed, and drops them when it is deleted', () => {
    const renamed = renameStep(fromStored(stored), 'A', 'pull');
    expect(renamed[1].data.depends_on).toEqual(['pull']);
    expect(deleteStep(renamed, 'A')[0].data.depends_on).toEqual([]);
  });

  it('moves a step by swapping order_idx with its neighbour', () => {
    const moved = moveStep(fromStored(stored), 'B', -1);
    expect(moved.map((d) => [d.key, d.data.order_idx])).toEqual([['B', 1], ['A', 2]]);
    expect(moveStep(moved, 'B', -1)).toBe(moved);
  });

  it('sends only what changed, with the versions loaded, and the steps removed', () => {
    let drafts = fromStored(stored);
    drafts = updateStep(drafts, 'A', { retries: 2, timeout_seconds: 60 });
    drafts = deleteStep(drafts, 'B');
    drafts = addStep(drafts, 'work', 'new one');
    const body = stepsRequest(workflow, { name: 'wf', retries_on_failure: 1 }, stored, drafts);
    expect(body.workflow).toEqual({ version_id: 7, data: { name: 'wf', retries_on_failure: 1 } });
    expect(body.steps.map((s) => [s.id, s.version_id, s.data.name])).toEqual([['A', 3, 'extract'], [undefined, undefined, 'new one']]);
    expect(body.deleted_steps).toEqual([{ id: 'B', version_id: 3 }]);
    expect(stepsRequest(workflow, { name: 'wf' }, stored, fromStored(stored))).toEqual({ steps: [], deleted_steps: [] });
  });

  it('finds the step a refused save names', () => {
    let drafts = updateStep(fromStored(stored), 'A', { retries: 1 });
    drafts = addStep(drafts, 'work', 'x');
    const body = stepsRequest(workflow, {}, stored, drafts);
    expect(refusedStep('/steps/0/version_id: stale', body, drafts)).toBe('A');
    expect(refusedStep('/steps/1/data/args: bad', body, drafts)).toBe(drafts[2].key);
    expect(refusedStep('/workflow: stale', body, drafts)).toBeNull();
  });
});
