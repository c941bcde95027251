import { useEffect, useMemo, useState } from 'react';
import { Loader, Text } from '@mantine/core';
import {
  Background, Controls, Handle, MarkerType, Position, ReactFlow,
  type Connection, type Edge, type Node, type NodeProps,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { STATE_COLOURS, StateBadge } from '../components/Cells';
import { layout, type Direction } from './layout';
import { stateColour } from './model';

export const NODE_WIDTH = 230;
export const NODE_HEIGHT = 66;

export interface BoxFields {
  kind: string;
  name: string;
  state?: string | null;
  detail?: string | null;
  unsaved?: boolean;
  refused?: boolean;
}

type BoxData = BoxFields & { direction: Direction } & Record<string, unknown>;

export interface BoxItem {
  id: string;
  data: BoxFields;
}

export interface Link {
  id: string;
  source: string;
  target: string;
}

/** One entity: its kind, name and state; its border takes the state's colour, dashed while unsaved. */
function EntityBox({ data, selected }: NodeProps<Node<BoxData>>) {
  const colour = data.refused ? 'red' : stateColour(data.state, STATE_COLOURS);
  const vertical = data.direction === 'DOWN';
  return (
    <div
      style={{
        width: NODE_WIDTH, height: NODE_HEIGHT, boxSizing: 'border-box', padding: '6px 10px', borderRadius: 6,
        background: 'var(--mantine-color-body)', border: `2px ${data.unsaved ? 'dashed' : 'solid'} var(--mantine-color-${colour}-6)`,
        boxShadow: selected ? '0 0 0 3px var(--mantine-color-blue-3)' : undefined,
      }}
      data-testid="graph-node"
      data-kind={data.kind}
      data-state={data.state ?? ''}
      data-unsaved={data.unsaved ? 'true' : 'false'}
    >
      <Handle type="target" position={vertical ? Position.Top : Position.Left} />
      <Text size="xs" c="dimmed" tt="uppercase" fw={700} lh={1.2} truncate>
        {data.kind}{data.detail ? ` · ${data.detail}` : ''}{data.unsaved ? ' · unsaved' : ''}
      </Text>
      <Text size="sm" fw={600} lh={1.3} truncate title={data.name}>{data.name}</Text>
      <StateBadge state={data.state} />
      <Handle type="source" position={vertical ? Position.Bottom : Position.Right} />
    </div>
  );
}

const nodeTypes = { entity: EntityBox };

/**
 * Boxes and arrows laid out by ELK along `direction`. The layout runs again when the set of boxes or arrows or the
 * direction changes, not when only a state changes, so a live refresh does not move things around.
 */
export function FlowCanvas({ items, links, direction, onOpen, onConnect, onLinkClick, onSelect, selected, selectedLink, height = 640, label }: {
  items: BoxItem[];
  links: Link[];
  direction: Direction;
  onOpen?: (id: string) => void;
  onConnect?: (source: string, target: string) => void;
  onLinkClick?: (id: string) => void;
  onSelect?: (id: string | null) => void;
  selected?: string | null;
  selectedLink?: string | null;
  height?: number | string;
  label: string;
}) {
  const structure = useMemo(
    () => JSON.stringify([items.map((i) => i.id).sort(), links.map((l) => `${l.source}>${l.target}`).sort(), direction]),
    [items, links, direction],
  );
  const [positions, setPositions] = useState<Record<string, { x: number; y: number }> | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    layout(items.map((i) => ({ id: i.id, width: NODE_WIDTH, height: NODE_HEIGHT })), links, direction)
      .then((p) => { if (!cancelled) setPositions(p); })
      .catch((e: Error) => { if (!cancelled) setError(e.message); });
    return () => { cancelled = true; };
    // the layout depends on the structure only
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [structure]);

  const nodes: Node<BoxData>[] = useMemo(() => items.map((i) => ({
    id: i.id,
    type: 'entity',
    position: positions?.[i.id] ?? { x: 0, y: 0 },
    data: { ...i.data, direction },
    selected: i.id === selected,
    ariaLabel: `${i.data.kind} ${i.data.name}${i.data.state ? ` (${i.data.state})` : ''}`,
  })), [items, positions, direction, selected]);
  const edges: Edge[] = useMemo(() => links.map((l) => ({
    id: l.id, source: l.source, target: l.target, markerEnd: { type: MarkerType.ArrowClosed },
    style: l.id === selectedLink ? { stroke: 'var(--mantine-color-blue-6)', strokeWidth: 3 } : undefined,
  })), [links, selectedLink]);

  if (error) return <Text c="red" role="alert">The layout failed: {error}</Text>;
  if (!positions) return <Loader aria-label="Laying out the graph" />;
  return (
    <div style={{ height, border: '1px solid var(--mantine-color-default-border)', borderRadius: 6 }} aria-label={label} role="figure">
      <ReactFlow
        key={structure}
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        fitView
        fitViewOptions={{ maxZoom: 1 }}
        minZoom={0.05}
        nodesConnectable={!!onConnect}
        nodesDraggable={false}
        onNodeDoubleClick={onOpen ? (_, n) => onOpen(n.id) : undefined}
        onNodeClick={(_, n) => onSelect?.(n.id)}
        onPaneClick={() => onSelect?.(null)}
        onConnect={onConnect ? (c: Connection) => c.source && c.target && onConnect(c.source, c.target) : undefined}
        onEdgeClick={onLinkClick ? (_, e) => onLinkClick(e.id) : undefined}
        deleteKeyCode={null}
        proOptions={{ hideAttribution: true }}
      >
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
