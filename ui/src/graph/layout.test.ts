import { beforeAll, describe, expect, it } from 'vitest';
import { layout } from './layout';

const nodes = ['a', 'b', 'c'].map((id) => ({ id, width: 200, height: 60 }));
const edges = [{ id: 'a>b', source: 'a', target: 'b' }, { id: 'b>c', source: 'b', target: 'c' }];

describe('layout', () => {
  // loading ELK (1.5 MB) is the slow part, and happens once per page
  beforeAll(() => layout(nodes, [], 'RIGHT'), 60_000);

  it('lays a chain out left to right, each node after the one it follows', async () => {
    const p = await layout(nodes, edges, 'RIGHT');
    expect(p.a.x).toBeLessThan(p.b.x);
    expect(p.b.x).toBeLessThan(p.c.x);
    expect(p.a.y).toBe(p.b.y);
  });

  it('lays the same chain out top to bottom when vertical', async () => {
    const p = await layout(nodes, edges, 'DOWN');
    expect(p.a.y).toBeLessThan(p.b.y);
    expect(p.b.y).toBeLessThan(p.c.y);
  });

  it('keeps boxes from overlapping and ignores edges to nodes it was not given', async () => {
    const p = await layout([...nodes, { id: 'd', width: 200, height: 60 }],
      [...edges, { id: 'a>d', source: 'a', target: 'd' }, { id: 'x>a', source: 'x', target: 'a' }], 'RIGHT');
    expect(Object.keys(p).sort()).toEqual(['a', 'b', 'c', 'd']);
    const overlap = (u: string, v: string) => Math.abs(p[u].x - p[v].x) < 200 && Math.abs(p[u].y - p[v].y) < 60;
    expect(overlap('b', 'd')).toBe(false);
  });

  it('answers nothing for no nodes', async () => {
    expect(await layout([], [], 'RIGHT')).toEqual({});
  });
});
