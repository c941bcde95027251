// Automatic layout with ELK's layered algorithm. ELK is about 1.5 MB: it is imported when the first graph is laid
// out, never with the first page.
import type { ELK } from 'elkjs/lib/elk-api';

export type Direction = 'RIGHT' | 'DOWN';

export interface LayoutNode {
  id: string;
  width: number;
  height: number;
}

export interface LayoutEdge {
  id: string;
  source: string;
  target: string;
}

export type Positions = Record<string, { x: number; y: number }>;

let elk: Promise<ELK> | null = null;

function loadElk(): Promise<ELK> {
  elk ??= import('elkjs/lib/elk.bundled.js').then((m) => new m.default());
  return elk;
}

/** Top-left positions of the nodes, layered along `direction` (RIGHT: left to right; DOWN: top to bottom). */
export async function layout(nodes: LayoutNode[], edges: LayoutEdge[], direction: Direction): Promise<Positions> {
  if (nodes.length === 0) return {};
  const engine = await loadElk();
  const known = new Set(nodes.map((n) => n.id));
  const result = await engine.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': direction,
      'elk.spacing.nodeNode': '30',
      'elk.layered.spacing.nodeNodeBetweenLayers': '60',
      'elk.separateConnectedComponents': 'true',
      // the default (NETWORK_SIMPLEX) placement costs most of the time on large graphs; this one stays fast
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
    },
    children: nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })),
    edges: edges.filter((e) => known.has(e.source) && known.has(e.target))
      .map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  });
  const out: Positions = {};
  for (const c of result.children ?? []) out[c.id] = { x: c.x ?? 0, y: c.y ?? 0 };
  return out;
}
