// The graph as the API draws it (`/graph/{type}/{id}`, a subgraph template) turned into what the canvas shows, and
// the unsaved entities a template adds, turned into the one request that saves them.
import type { Schemas } from '../api/types';
import { isActionActive, isRunActive } from '../lib/live';

export type GraphNode = Schemas['GraphNode'];
export type GraphEdge = Schemas['GraphEdge'];
export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}
export type SubGraphTemplate = Schemas['SubGraphTemplate'];
export type UnsavedEntity = Schemas['UnsavedEntity'];

export const UNSAVED = 'UNSAVED-';

/** A node's key on the canvas: type and id, as ids are unique only within a type. */
export function nodeKey(type: string, id: string): string {
  return `${type}-${id}`;
}

export function isUnsaved(id: string): boolean {
  return id.startsWith(UNSAVED);
}

/** True while anything shown still moves: the page then refreshes, and stops by itself once all is done. */
export function isLive(graph: Graph): boolean {
  return graph.nodes.some((n) => isRunActive(n.state) || (n.entity_type === 'action' && isActionActive(n.state)));
}

/** The graph without repeated nodes or edges, and without edges whose ends are not drawn. */
export function normalise(graph: Graph): Graph {
  const nodes = new Map<string, GraphNode>();
  for (const n of graph.nodes) nodes.set(nodeKey(n.entity_type, n.entity_id), n);
  const edges = new Map<string, GraphEdge>();
  for (const e of graph.edges) {
    const s = nodeKey(e.source_type, e.source_id);
    const d = nodeKey(e.destination_type, e.destination_id);
    if (nodes.has(s) && nodes.has(d)) edges.set(`${s}>${d}`, e);
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

/** Both graphs in one: nodes of `extra` replace those of the same key. */
export function merge(base: Graph, extra: Graph): Graph {
  return normalise({ nodes: [...base.nodes, ...extra.nodes], edges: [...base.edges, ...extra.edges] });
}

/** What adding a template to the graph gives: its nodes, its entities to save, and what it hangs from. */
export interface AddedTemplate {
  graph: Graph;
  entities: Record<string, UnsavedEntity>;
}

/**
 * A template hung from `related` (the node it was added to): the `PARENT-...` / `CHILD-...` ids its entities use
 * become the related entity's id, so the canvas draws the edges to it and the save needs nothing more.
 */
export function attachTemplate(template: SubGraphTemplate, related: { entity_type: string; entity_id: string }): AddedTemplate {
  const stand = (id: string) => (id.startsWith('PARENT-') || id.startsWith('CHILD-') ? related.entity_id : id);
  const replace = (value: unknown): unknown => {
    if (typeof value === 'string') return stand(value);
    if (Array.isArray(value)) return value.map(replace);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v)]));
    return value;
  };
  const entities: Record<string, UnsavedEntity> = {};
  for (const [key, entity] of Object.entries(template.entity_map)) entities[key] = replace(entity) as UnsavedEntity;
  const graph: Graph = {
    nodes: template.graph.nodes,
    edges: template.graph.edges.map((e) => ({ ...e, source_id: stand(e.source_id), destination_id: stand(e.destination_id) })),
  };
  return { graph, entities };
}

/** The body of `POST /graph/sub_graph` for the unsaved entities on the canvas. */
export function saveBody(entities: Record<string, UnsavedEntity>): { unsaved_entities: Record<string, UnsavedEntity> } {
  return { unsaved_entities: entities };
}

/**
 * The node a refusal is about: the server names it by node id in the error's pointer
 * (`/unsaved_entities/workflow-UNSAVED-x/data/name: ...`).
 */
export function refusedNode(message: string): string | null {
  const m = /^\/unsaved_entities\/([^/:\s]+)/.exec(message);
  return m ? m[1] : null;
}

/** Mantine colour names by state, for the node's border. */
export function stateColour(state: string | null | undefined, colours: Record<string, string>): string {
  return state ? colours[state] ?? 'gray' : 'gray';
}
