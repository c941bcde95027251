// `npm run bench:graph`: how long ELK lays out a 500-node graph, next to the machine's own floor measured in the
// same run (a fixed amount of plain JavaScript work), as a ratio; the script prints the load before and after.
import { describe, it } from 'vitest';
import { layout, type LayoutEdge, type LayoutNode } from './layout';
import { NODE_HEIGHT, NODE_WIDTH } from './FlowCanvas';

/** A graph shaped like dart's: datastores with workflows, each with a few steps and a trigger. */
function dartLikeGraph(size: number): { nodes: LayoutNode[]; edges: LayoutEdge[] } {
  const nodes: LayoutNode[] = [];
  const edges: LayoutEdge[] = [];
  const add = (id: string) => nodes.push({ id, width: NODE_WIDTH, height: NODE_HEIGHT });
  const link = (s: string, t: string) => edges.push({ id: `${s}>${t}`, source: s, target: t });
  for (let d = 0; nodes.length < size; d++) {
    add(`ds${d}`);
    for (let w = 0; w < 5 && nodes.length < size; w++) {
      const wf = `wf${d}.${w}`;
      add(wf);
      link(`ds${d}`, wf);
      for (let a = 0; a < 6 && nodes.length < size; a++) {
        add(`${wf}.a${a}`);
        link(wf, `${wf}.a${a}`);
      }
      if (w > 0 && nodes.length < size) {
        add(`${wf}.t`);
        link(`wf${d}.${w - 1}`, `${wf}.t`);
        link(`${wf}.t`, wf);
      }
    }
  }
  return { nodes, edges };
}

/** The floor: sorting 200,000 numbers, plain JavaScript on this machine now. */
function floor(): number {
  const data = Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 200_003);
  const start = performance.now();
  data.sort((a, b) => a - b);
  return performance.now() - start;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const env = (globalThis as unknown as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};

describe.skipIf(!env.GRAPH_BENCH)('graph layout benchmark', () => {
  it('lays out 500 nodes', async () => {
    const { nodes, edges } = dartLikeGraph(500);
    await layout(nodes.slice(0, 10), [], 'RIGHT');
    const runs: number[] = [];
    const floors: number[] = [];
    for (let i = 0; i < 5; i++) {
      floors.push(floor());
      const start = performance.now();
      await layout(nodes, edges, i % 2 ? 'DOWN' : 'RIGHT');
      runs.push(performance.now() - start);
    }
    const ms = median(runs);
    const f = median(floors);
    console.log(`graph layout: ${nodes.length} nodes, ${edges.length} edges: median ${ms.toFixed(0)} ms of 5 `
      + `(min ${Math.min(...runs).toFixed(0)}, max ${Math.max(...runs).toFixed(0)}); floor (sort 200k numbers) `
      + `${f.toFixed(1)} ms; ratio ${(ms / f).toFixed(1)}; target < 2000 ms`);
  }, 120_000);
});
