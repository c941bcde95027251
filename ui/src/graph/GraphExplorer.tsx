import { useMemo, useState } from 'react';
import {
  Alert, Anchor, Autocomplete, Button, Group, Menu, Paper, SegmentedControl, Stack, Text, Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { Link, useNavigate, useParams } from '@tanstack/react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import type { Schemas } from '../api/types';
import { useSession } from '../auth/session';
import { RunNow } from '../components/RunNow';
import { itemHref, type EntityTypeName } from '../lib/entities';
import { LIVE_REFRESH_MS } from '../lib/live';
import { FlowCanvas, type BoxItem, type Link as FlowLink } from './FlowCanvas';
import type { Direction } from './layout';
import {
  attachTemplate, isLive, isUnsaved, merge, nodeKey, normalise, refusedNode, saveBody,
  type Graph, type GraphNode, type SubGraphTemplate, type UnsavedEntity,
} from './model';

type Identifier = Schemas['EntityIdentifier'];

/** Search entities by name and open the graph around the one picked. */
function GraphSearch() {
  const navigate = useNavigate();
  const [text, setText] = useState('');
  const [search] = useDebouncedValue(text, 250);
  const found = useQuery({
    queryKey: ['graph-identifiers', search],
    queryFn: () => api.get<{ results: Identifier[] }>('/graph/entity_identifiers', { search }),
    enabled: search.trim().length > 0,
  });
  const options = (found.data?.results ?? []).map((i) => ({ value: `${i.entity_type}/${i.entity_id}`, label: `${i.name} (${i.entity_type})` }));
  return (
    <Autocomplete
      label="Find an entity by name"
      placeholder="workflow, datastore, trigger..."
      value={text}
      onChange={setText}
      data={options}
      filter={({ options: all }) => all}
      onOptionSubmit={(value) => {
        setText('');
        navigate({ to: `/graph/${value}` });
      }}
      w={360}
    />
  );
}

function toItems(graph: Graph, refused: string | null): BoxItem[] {
  return graph.nodes.map((n) => {
    const key = nodeKey(n.entity_type, n.entity_id);
    return {
      id: key,
      data: { kind: n.entity_type.replace('_', ' '), name: n.name, state: n.state, detail: n.sub_type, unsaved: isUnsaved(n.entity_id), refused: key === refused },
    };
  });
}

function toLinks(graph: Graph): FlowLink[] {
  return graph.edges.map((e) => {
    const source = nodeKey(e.source_type, e.source_id);
    const target = nodeKey(e.destination_type, e.destination_id);
    return { id: `${source}>${target}`, source, target };
  });
}

/** The templates engines offer for a node, by engine. */
function TemplateMenu({ node, onAdd }: { node: GraphNode; onAdd: (t: SubGraphTemplate) => void }) {
  const templates = useQuery({
    queryKey: ['sub-graphs', node.entity_type, node.entity_id],
    queryFn: () => api.get<{ results: Record<string, SubGraphTemplate[]> }>('/graph/sub_graph', { related_type: node.entity_type, related_id: node.entity_id }),
    enabled: ['datastore', 'workflow', 'action'].includes(node.entity_type),
    staleTime: 0,
  });
  const entries = Object.entries(templates.data?.results ?? {}).flatMap(([engine, list]) => list.map((t) => ({ engine, t })));
  if (entries.length === 0) return null;
  return (
    <Menu position="bottom-start">
      <Menu.Target>
        <Button variant="light">Add a template</Button>
      </Menu.Target>
      <Menu.Dropdown>
        {entries.map(({ engine, t }) => (
          <Menu.Item key={`${engine}/${t.name}`} onClick={() => { onAdd(t); templates.refetch(); }}>
            {t.name} <Text span size="xs" c="dimmed">({engine})</Text>
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}

/**
 * The graph explorer: the entities around one, laid out automatically, coloured by state and refreshed while any
 * of them moves. A node's panel opens its page, runs a workflow, and adds an engine's template as unsaved nodes,
 * saved together in one request.
 */
export function GraphExplorer() {
  const params = useParams({ strict: false }) as { type?: string; id?: string };
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { can } = useSession();
  const [direction, setDirection] = useState<Direction>('RIGHT');
  const [selected, setSelected] = useState<string | null>(null);
  const [added, setAdded] = useState<{ graph: Graph; entities: Record<string, UnsavedEntity> }>({ graph: { nodes: [], edges: [] }, entities: {} });
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [expectRunUntil, setExpectRunUntil] = useState(0);

  const graph = useQuery({
    queryKey: ['graph', params.type, params.id],
    queryFn: () => api.get<{ results: Graph }>(`/graph/${params.type}/${encodeURIComponent(params.id ?? '')}`),
    enabled: !!params.type && !!params.id,
    // a run just started may not be in the graph yet: keep looking for a while
    refetchInterval: (q) => ((q.state.data && isLive(q.state.data.results)) || Date.now() < expectRunUntil ? LIVE_REFRESH_MS : false),
  });
  const shown = useMemo(() => merge(normalise(graph.data?.results ?? { nodes: [], edges: [] }), added.graph), [graph.data, added.graph]);
  const byKey = useMemo(() => new Map(shown.nodes.map((n) => [nodeKey(n.entity_type, n.entity_id), n])), [shown]);
  const selectedNode = selected ? byKey.get(selected) ?? null : null;
  const unsavedCount = Object.keys(added.entities).length;
  const refused = saveError ? refusedNode(saveError) : null;

  function open(key: string) {
    const n = byKey.get(key);
    if (n && !isUnsaved(n.entity_id)) navigate({ to: itemHref(n.entity_type as EntityTypeName, n.entity_id) });
  }

  function addTemplate(template: SubGraphTemplate) {
    if (!selectedNode) return;
    const next = attachTemplate(template, selectedNode);
    setAdded((a) => ({ graph: merge(a.graph, next.graph), entities: { ...a.entities, ...next.entities } }));
    setSaveError(null);
  }

  async function save() {
    setSaving(true);
    setSaveError(null);
    try {
      await api.post('/graph/sub_graph', saveBody(added.entities));
      setAdded({ graph: { nodes: [], edges: [] }, entities: {} });
      setSelected(null);
      await queryClient.invalidateQueries({ queryKey: ['graph'] });
    } catch (e) {
      setSaveError((e as Error).message);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Stack>
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Title order={2}>Graph</Title>
        <GraphSearch />
      </Group>
      {!params.type && <Text c="dimmed">Find an entity to see what it is connected to.</Text>}
      {graph.error && <Alert color="red" role="alert">{(graph.error as Error).message}</Alert>}
      {graph.data && (
        <>
          <Group justify="space-between" wrap="wrap">
            <SegmentedControl
              aria-label="Layout direction"
              value={direction}
              onChange={(v) => setDirection(v as Direction)}
              data={[{ label: 'Horizontal', value: 'RIGHT' }, { label: 'Vertical', value: 'DOWN' }]}
            />
            <Group gap="xs">
              {isLive(graph.data.results) && <Text size="sm" c="blue">Live: refreshing while something runs</Text>}
              {unsavedCount > 0 && (
                <>
                  <Button variant="default" onClick={() => { setAdded({ graph: { nodes: [], edges: [] }, entities: {} }); setSaveError(null); }}>Discard</Button>
                  <Button onClick={save} loading={saving}>Save {unsavedCount} unsaved</Button>
                </>
              )}
            </Group>
          </Group>
          {saveError && <Alert color="red" role="alert" title="Nothing was saved">{saveError}</Alert>}
          <Group align="flex-start" wrap="nowrap" gap="md">
            <div style={{ flex: 1, minWidth: 0 }}>
              <FlowCanvas
                label="Entity graph"
                items={toItems(shown, refused)}
                links={toLinks(shown)}
                direction={direction}
                selected={selected}
                onSelect={setSelected}
                onOpen={open}
                height="70vh"
              />
            </div>
            {selectedNode && (
              <Paper withBorder p="sm" w={280} aria-label="Selected entity">
                <Stack gap="xs">
                  <Text size="xs" c="dimmed" tt="uppercase" fw={700}>{selectedNode.entity_type.replace('_', ' ')}</Text>
                  <Text fw={600} style={{ wordBreak: 'break-all' }}>{selectedNode.name}</Text>
                  {isUnsaved(selectedNode.entity_id) ? <Text size="sm" c="dimmed">Not saved yet.</Text> : (
                    <>
                      <Anchor component={Link} to={itemHref(selectedNode.entity_type as EntityTypeName, selectedNode.entity_id)}>Open its page</Anchor>
                      <Anchor component={Link} to={`/graph/${selectedNode.entity_type}/${encodeURIComponent(selectedNode.entity_id)}`}>Graph around it</Anchor>
                      {selectedNode.entity_type === 'workflow' && can.edit && (
                        <Anchor component={Link} to={`/workflow/${encodeURIComponent(selectedNode.entity_id)}/editor`}>Edit its steps</Anchor>
                      )}
                      {selectedNode.entity_type === 'workflow' && can.run && (
                        <RunNow workflowId={selectedNode.entity_id} onStarted={() => {
                          setExpectRunUntil(Date.now() + 30_000);
                          queryClient.invalidateQueries({ queryKey: ['graph'] });
                        }} />
                      )}
                      {can.edit && <TemplateMenu node={selectedNode} onAdd={addTemplate} />}
                    </>
                  )}
                </Stack>
              </Paper>
            )}
          </Group>
          <Text size="xs" c="dimmed">Click a node for its panel; double-click opens its page.</Text>
        </>
      )}
    </Stack>
  );
}
