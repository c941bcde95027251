import { describe, expect, it } from 'vitest';
import { attachTemplate, isLive, merge, normalise, refusedNode, type Graph, type SubGraphTemplate } from './model';

const node = (entity_type: string, entity_id: string, state: string | null = null) =>
  ({ entity_type, entity_id, name: `${entity_type} ${entity_id}`, state, sub_type: null }) as Graph['nodes'][number];
const edge = (st: string, si: string, dt: string, di: string) =>
  ({ source_type: st, source_id: si, destination_type: dt, destination_id: di }) as Graph['edges'][number];

const template: SubGraphTemplate = {
  name: 'chain', description: null, related_type: 'datastore', related_is_a: 'PARENT', icon: null, md_icon: null,
  graph: {
    nodes: [node('workflow', 'UNSAVED-w1'), node('action', 'UNSAVED-a1')],
    edges: [edge('datastore', 'PARENT-1', 'workflow', 'UNSAVED-w1'), edge('workflow', 'UNSAVED-w1', 'action', 'UNSAVED-a1')],
  },
  entity_map: {
    'workflow-UNSAVED-w1': { id: 'UNSAVED-w1', data: { name: 'wf', datastore_id: 'PARENT-1', tags: ['PARENT-1 stays a tag?'] } },
    'action-UNSAVED-a1': { id: 'UNSAVED-a1', data: { name: 'a', workflow_id: 'UNSAVED-w1' } },
  },
};

describe('graph mapping', () => {
  it('drops repeated nodes and edges, and edges to nodes not drawn', () => {
    const g = normalise({
      nodes: [node('workflow', 'W'), node('workflow', 'W'), node('datastore', 'D')],
      edges: [edge('datastore', 'D', 'workflow', 'W'), edge('datastore', 'D', 'workflow', 'W'), edge('trigger', 'T', 'workflow', 'W')],
    });
    expect(g.nodes).toHaveLength(2);
    expect(g.edges).toEqual([edge('datastore', 'D', 'workflow', 'W')]);
  });

  it('tells ids apart by type: a workflow and an action may share an id', () => {
    expect(normalise({ nodes: [node('workflow', 'X'), node('action', 'X')], edges: [] }).nodes).toHaveLength(2);
  });

  it('is live while a run or an action moves, and not once all are done', () => {
    expect(isLive({ nodes: [node('workflow', 'W', 'ACTIVE'), node('workflow_instance', 'R', 'RUNNING')], edges: [] })).toBe(true);
    expect(isLive({ nodes: [node('action', 'A', 'PENDING')], edges: [] })).toBe(true);
    expect(isLive({ nodes: [node('workflow', 'W', 'ACTIVE'), node('workflow_instance', 'R', 'COMPLETED'), node('action', 'A', 'TEMPLATE')], edges: [] })).toBe(false);
  });

  it('hangs a template from the node it is added to', () => {
    const added = attachTemplate(template, { entity_type: 'datastore', entity_id: 'DS1' });
    expect(added.entities['workflow-UNSAVED-w1'].data.datastore_id).toBe('DS1');
    expect(added.entities['action-UNSAVED-a1'].data.workflow_id).toBe('UNSAVED-w1');
    expect(added.graph.edges[0]).toEqual(edge('datastore', 'DS1', 'workflow', 'UNSAVED-w1'));
    const shown = merge({ nodes: [node('datastore', 'DS1')], edges: [] }, added.graph);
    expect(shown.nodes).toHaveLength(3);
    expect(shown.edges).toHaveLength(2);
    expect(template.entity_map['workflow-UNSAVED-w1'].data.datastore_id).toBe('PARENT-1');
  });

  it('finds the node a refused save names', () => {
    expect(refusedNode('/unsaved_entities/action-UNSAVED-x/data/args/n: must be an integer')).toBe('action-UNSAVED-x');
    expect(refusedNode('/unsaved_entities: these entities refer to each other in a cycle')).toBeNull();
  });
});
